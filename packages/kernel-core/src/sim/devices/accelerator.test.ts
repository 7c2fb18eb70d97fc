import { describe, expect, it } from "vitest";
import { AcceleratorDevice } from "./accelerator.js";
import { AcceleratorOpcode, decodeAcceleratorJob, encodeAcceleratorJob, matrixProductU8 } from "./accelerator-job.js";
import { DmaEngine } from "./dma-engine.js";
import { testBus, windowIommu } from "./test-support/test-bus.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("accelerator (class 12h)", () => {
  it("lays the 64-byte job descriptor out as documented", () => {
    const bytes = encodeAcceleratorJob({ opcode: 2, dimension: 3, input: 0x1122334455667788n, inputLength: 18n, output: 0xa000n, outputCapacity: 36n, completion: 0xb010n });
    expect(bytes.length).toBe(64);
    expect(hex(bytes.subarray(0, 0x30))).toBe(
      "02000000" + "03000000" + "8877665544332211" + "1200000000000000" + "00a0000000000000" + "2400000000000000" + "10b0000000000000",
    );
    expect([...bytes.subarray(0x30)].every((byte) => byte === 0)).toBe(true);
    expect(decodeAcceleratorJob(bytes)).toMatchObject({ opcode: 2, dimension: 3, input: 0x1122334455667788n, completion: 0xb010n });
  });

  it("runs a SHA-256 job: descriptor, input and output by DMA, completion record last", () => {
    const bus = testBus();
    const device = new AcceleratorDevice(new DmaEngine(0x28, bus));
    bus.memory.writeBytes(0x3000n, new TextEncoder().encode("abc"));
    bus.memory.writeBytes(0x1000n, encodeAcceleratorJob({ opcode: AcceleratorOpcode.SHA256, dimension: 0, input: 0x3000n, inputLength: 3n, output: 0x4000n, outputCapacity: 64n, completion: 0x1040n }));
    const completion = device.submit(0x1000n);
    expect(completion).toMatchObject({ status: "done", sequence: 1, outputBytes: 32 });
    // FIPS 180-2 appendix B.1: SHA-256("abc")
    expect(hex(bus.memory.readBytes(0x4000n, 32))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // status 1 (done), sequence 1, 32 bytes written
    expect(hex(bus.memory.readBytes(0x1040n, 16))).toBe("01000000" + "01000000" + "2000000000000000");
    // the order of the device's transactions: descriptor, input, output, completion
    expect(bus.requests.map((request) => [request.address, request.write])).toEqual([
      [0x1000n, false],
      [0x3000n, false],
      [0x4000n, true],
      [0x1040n, true],
    ]);
    expect(completion.costNs).toBeGreaterThan(0);
  });

  it("computes the matrix product of two u8 matrices", () => {
    // A = [[1,2],[3,4]], B = [[5,6],[7,8]] -> [[19,22],[43,50]]
    expect([...new Uint32Array(matrixProductU8(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2).buffer)]).toEqual([19, 22, 43, 50]);
    // 255 * 255 * 3 does not fit a byte or a u16: the u32 result keeps it
    expect(new DataView(matrixProductU8(new Uint8Array(18).fill(255), 3).buffer).getUint32(0, true)).toBe(195075);
    const bus = testBus();
    const device = new AcceleratorDevice(new DmaEngine(0x28, bus));
    bus.memory.writeBytes(0x3000n, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    bus.memory.writeBytes(0x1000n, encodeAcceleratorJob({ opcode: AcceleratorOpcode.MATMUL_U8, dimension: 2, input: 0x3000n, inputLength: 8n, output: 0x4000n, outputCapacity: 16n, completion: 0x1040n }));
    expect(device.submit(0x1000n).status).toBe("done");
    expect(hex(bus.memory.readBytes(0x4000n, 16))).toBe("13000000" + "16000000" + "2b000000" + "32000000");
  });

  it("reports errors in the completion record, and cannot report a descriptor it could not fetch", () => {
    const bus = testBus(windowIommu(0x10_0000n, 0x2000n));
    const device = new AcceleratorDevice(new DmaEngine(0x28, bus));
    // descriptor at IOVA 0x8000_0000 -> PA 0x10_0000; its input lies outside the window
    bus.memory.writeBytes(0x10_0000n, encodeAcceleratorJob({ opcode: 1, dimension: 0, input: 0x9000_0000n, inputLength: 16n, output: 0x8000_1000n, outputCapacity: 32n, completion: 0x8000_0040n }));
    expect(device.submit(0x8000_0000n).status).toBe("input-dma-error");
    expect(hex(bus.memory.readBytes(0x10_0040n, 8))).toBe("03000000" + "01000000");
    expect([...bus.memory.readBytes(0x10_1000n, 32)].every((byte) => byte === 0)).toBe(true);
    bus.memory.writeBytes(0x10_0000n, encodeAcceleratorJob({ opcode: 9, dimension: 0, input: 0x8000_1000n, inputLength: 16n, output: 0x8000_1000n, outputCapacity: 32n, completion: 0x8000_0040n }));
    expect(device.submit(0x8000_0000n).status).toBe("bad-opcode");
    bus.memory.writeBytes(0x10_0000n, encodeAcceleratorJob({ opcode: 1, dimension: 0, input: 0x8000_1000n, inputLength: 16n, output: 0x8000_1000n, outputCapacity: 31n, completion: 0x8000_0040n }));
    expect(device.submit(0x8000_0000n).status).toBe("output-too-small");
    bus.memory.writeBytes(0x10_0000n, encodeAcceleratorJob({ opcode: 2, dimension: 3, input: 0x8000_1000n, inputLength: 17n, output: 0x8000_1000n, outputCapacity: 64n, completion: 0x8000_0040n }));
    expect(device.submit(0x8000_0000n).status).toBe("bad-length");
    const before = bus.requests.length;
    expect(device.submit(0x7000_0000n)).toMatchObject({ status: "descriptor-dma-error", sequence: 5 });
    // only the descriptor fetch was attempted: no completion write to an unknown address
    expect(bus.requests.length - before).toBe(1);
  });
});
