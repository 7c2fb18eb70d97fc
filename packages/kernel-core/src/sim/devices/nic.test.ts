import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DmaEngine } from "./dma-engine.js";
import { NicDevice } from "./nic.js";
import { encodeRxDescriptor, encodeTxDescriptor, packetChecksum, TxCommand } from "./nic-descriptors.js";
import { EXPERIMENTAL_ETHERTYPE, PacketGenerator } from "./packet-generator.js";
import { testBus, windowIommu } from "./test-support/test-bus.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const SBDF = 0x0030; // 00:06.0

function rxRing(bus: ReturnType<typeof testBus>, entries: number): void {
  for (let i = 0; i < entries; i++) {
    bus.memory.writeBytes(0x1000n + BigInt(16 * i), encodeRxDescriptor({ bufferAddress: 0x10000n + BigInt(0x800 * i), length: 0, checksum: 0, status: 0, errors: 0, special: 0 }));
  }
}

describe("NIC (class 02h, 8254x legacy descriptors)", () => {
  it("encodes descriptors bit-exact", () => {
    expect(hex(encodeRxDescriptor({ bufferAddress: 0x123456789an, length: 0x5ea, checksum: 0xbeef, status: 0x03, errors: 0x80, special: 0x0102 }))).toBe(
      "9a78563412000000" + "ea05" + "efbe" + "03" + "80" + "0201",
    );
    expect(hex(encodeTxDescriptor({ bufferAddress: 0x2000n, length: 60, cso: 0x11, command: TxCommand.EOP | TxCommand.IFCS | TxCommand.RS, status: 0x1, css: 0x22, special: 0 }))).toBe(
      "0020000000000000" + "3c00" + "11" + "0b" + "01" + "22" + "0000",
    );
  });

  it("receives frames into posted buffers and writes the descriptors back with DD|EOP", () => {
    const bus = testBus();
    const nic = new NicDevice(new DmaEngine(SBDF, bus), 7);
    rxRing(bus, 4);
    nic.configureReceive({ base: 0x1000n, entries: 4, bufferSize: 2048 });
    nic.setReceiveTail(3);
    const result = nic.receive(5);
    // three descriptors were the device's (head 0, tail 3): the other two frames were missed
    expect(result).toMatchObject({ packets: 3, missed: 2, dmaErrors: 0 });
    expect(nic.registers()).toMatchObject({ rxHead: 3, rxTail: 3 });
    // the same seed gives the same wire: the first frame is the generator's first frame
    const expected = new PacketGenerator(7, nic.mac).next(2048);
    const written = bus.memory.readBytes(0x1000n, 16);
    const length = written[8]! | (written[9]! << 8);
    expect(length).toBe(expected.length);
    expect(hex(written.subarray(0, 8))).toBe("0000010000000000");
    expect(written[10]! | (written[11]! << 8)).toBe(packetChecksum(expected));
    expect(written[12]).toBe(0x03);
    expect(written[13]).toBe(0x00);
    const frame = bus.memory.readBytes(0x10000n, length);
    expect(hex(frame)).toBe(hex(expected));
    expect(hex(frame.subarray(0, 6))).toBe("024e4b000030");
    expect((frame[12]! << 8) | frame[13]!).toBe(EXPERIMENTAL_ETHERTYPE);
    expect(nic.macText).toBe("02:4e:4b:00:00:30");
  });

  it("transmits descriptors from TDH to TDT and reports status when RS is set", () => {
    const bus = testBus();
    const nic = new NicDevice(new DmaEngine(SBDF, bus), 1);
    const frames = [Uint8Array.from({ length: 60 }, (_, i) => i), Uint8Array.from({ length: 100 }, (_, i) => 255 - i)];
    frames.forEach((frame, i) => {
      bus.memory.writeBytes(0x8000n + BigInt(0x800 * i), frame);
      bus.memory.writeBytes(
        0x2000n + BigInt(16 * i),
        encodeTxDescriptor({ bufferAddress: 0x8000n + BigInt(0x800 * i), length: frame.length, cso: 0, command: TxCommand.EOP | (i === 0 ? TxCommand.RS : 0), status: 0, css: 0, special: 0 }),
      );
    });
    nic.configureTransmit({ base: 0x2000n, entries: 8 });
    nic.setTransmitTail(2);
    expect(nic.transmit()).toMatchObject({ packets: 2, bytes: 160, dmaErrors: 0 });
    expect(nic.registers()).toMatchObject({ txHead: 2, txTail: 2 });
    expect(bus.memory.readBytes(0x200cn, 1)[0]).toBe(0x01);
    expect(bus.memory.readBytes(0x201cn, 1)[0]).toBe(0x00);
    const digest = createHash("sha256").update(frames[0]!).update(frames[1]!).digest("hex");
    expect(nic.wireDigest()).toBe(digest);
    expect(nic.framesOnWire).toBe(2);
  });

  it("loses a frame whose buffer DMA aborts, and flags the descriptor RXE", () => {
    const bus = testBus(windowIommu(0x40_0000n, 0x1000n));
    // ring at IOVA 0x8000_0000 (PA 0x40_0000), buffer outside the window
    bus.memory.writeBytes(0x40_0000n, encodeRxDescriptor({ bufferAddress: 0x9000_0000n, length: 0, checksum: 0, status: 0, errors: 0, special: 0 }));
    const nic = new NicDevice(new DmaEngine(SBDF, bus), 3);
    nic.configureReceive({ base: 0x8000_0000n, entries: 2 });
    nic.setReceiveTail(1);
    expect(nic.receive(1)).toMatchObject({ packets: 0, dmaErrors: 1 });
    expect(bus.memory.readBytes(0x40_000cn, 2)).toEqual(Uint8Array.of(0x03, 0x80));
  });

  it("checks ring programming", () => {
    const nic = new NicDevice(new DmaEngine(SBDF, testBus()), 3);
    expect(() => nic.receive(1)).toThrow(expect.objectContaining({ code: "NK-DEV-020" }));
    expect(() => nic.configureReceive({ base: 0x1008n, entries: 8 })).toThrow(expect.objectContaining({ code: "NK-DEV-021" }));
    expect(() => nic.configureReceive({ base: 0x1000n, entries: 1 })).toThrow(expect.objectContaining({ code: "NK-DEV-021" }));
    expect(() => nic.configureReceive({ base: 0x1000n, entries: 8, bufferSize: 3000 })).toThrow(expect.objectContaining({ code: "NK-DEV-021" }));
    nic.configureReceive({ base: 0x1000n, entries: 8 });
    expect(() => nic.setReceiveTail(8)).toThrow(expect.objectContaining({ code: "NK-DEV-022" }));
    expect(() => nic.receive(-1)).toThrow(expect.objectContaining({ code: "NK-DEV-023" }));
  });
});
