import { describe, expect, it } from "vitest";
import { DmaEngine } from "./dma-engine.js";
import { NvmeController } from "./nvme.js";
import { decodeCompletion, decodeSubmission, encodeCompletion, encodeSubmission, NvmeOpcode, NvmeStatus } from "./nvme-commands.js";
import { testBus, windowIommu } from "./test-support/test-bus.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const SQ = 0x1000n;
const CQ = 0x2000n;

function controller(bus = testBus(), entries = 4) {
  const nvme = new NvmeController(new DmaEngine(0x48, bus), 99, 4096);
  nvme.configureQueues({ submissionQueue: SQ, completionQueue: CQ, entries });
  return { bus, nvme };
}

function submit(bus: ReturnType<typeof testBus>, slot: number, command: Parameters<typeof encodeSubmission>[0]): void {
  bus.memory.writeBytes(SQ + BigInt(slot * 64), encodeSubmission(command));
}

describe("NVMe controller (class 01h 08h 02h)", () => {
  it("lays submission and completion entries out as NVMe 1.4 §4.2 and §4.6 do", () => {
    const sqe = encodeSubmission({ opcode: NvmeOpcode.READ, commandId: 0x1234, namespaceId: 1, prp1: 0x3000n, startingLba: 0x10n, blockCount: 7, forceUnitAccess: true });
    expect(hex(sqe)).toBe(
      "02003412" + "01000000" + "0000000000000000" + "0000000000000000" + "0030000000000000" + "0000000000000000" + "1000000000000000" + "07000040" + "00".repeat(12),
    );
    expect(decodeSubmission(sqe)).toMatchObject({ opcode: 2, commandId: 0x1234, prp1: 0x3000n, startingLba: 0x10n, blockCount: 7, forceUnitAccess: true, psdt: 0 });
    const ok = { commandSpecific: 0, submissionQueueHead: 1, submissionQueueId: 1, commandId: 0x1234, phase: 1 as const, statusCode: 0, statusCodeType: 0, doNotRetry: false };
    expect(hex(encodeCompletion(ok))).toBe("00000000" + "00000000" + "01000100" + "34120100");
    const failed = { ...ok, statusCode: NvmeStatus.LBA_OUT_OF_RANGE, doNotRetry: true };
    expect(hex(encodeCompletion(failed))).toBe("00000000" + "00000000" + "01000100" + "34120181");
    expect(decodeCompletion(encodeCompletion(failed))).toEqual(failed);
  });

  it("writes and reads back through PRP1, PRP2 and a PRP list, completing with the phase tag", () => {
    const { bus, nvme } = controller(testBus(), 8);
    const data = Uint8Array.from({ length: 6 * 512 }, (_, i) => (i * 7) & 0xff);
    // 3 KiB at offset 0xe00 of a page: PRP1 + PRP2 (two pages)
    bus.memory.writeBytes(0x10e00n, data);
    submit(bus, 0, { opcode: NvmeOpcode.WRITE, commandId: 1, prp1: 0x10e00n, prp2: 0x11000n, startingLba: 100n, blockCount: 5 });
    // read 12 blocks back from offset 0xc00 of a page: 1 KiB + 4 KiB + 1 KiB, three pages, so a PRP list
    const list = new Uint8Array(16);
    new DataView(list.buffer).setBigUint64(0, 0x21000n, true);
    new DataView(list.buffer).setBigUint64(8, 0x22000n, true);
    bus.memory.writeBytes(0x5000n, list);
    submit(bus, 1, { opcode: NvmeOpcode.READ, commandId: 2, prp1: 0x20c00n, prp2: 0x5000n, startingLba: 100n, blockCount: 11 });
    expect(nvme.ringSubmissionDoorbell(2)).toMatchObject({ completed: 2, errors: 0, stalled: false });
    const back = new Uint8Array(6 * 512);
    back.set(bus.memory.readBytes(0x20c00n, 0x400), 0);
    back.set(bus.memory.readBytes(0x21000n, 0x800), 0x400);
    expect(hex(back)).toBe(hex(data));
    expect(hex(bus.memory.readBytes(0x21800n, 0x800))).toBe(hex(nvme.disk.read(106n, 4)));
    expect(hex(bus.memory.readBytes(0x22000n, 0x400))).toBe(hex(nvme.disk.read(110n, 2)));
    expect(decodeCompletion(bus.memory.readBytes(CQ, 16))).toMatchObject({ commandId: 1, phase: 1, statusCode: 0, submissionQueueHead: 1, submissionQueueId: 1 });
    expect(decodeCompletion(bus.memory.readBytes(CQ + 16n, 16))).toMatchObject({ commandId: 2, phase: 1, statusCode: 0, submissionQueueHead: 2 });
  });

  it("follows a PRP list that chains to a second list page", () => {
    const { bus, nvme } = controller();
    // a list pointer 16 bytes before the end of its page: 2 slots, the last of which chains
    const first = new Uint8Array(16);
    new DataView(first.buffer).setBigUint64(0, 0x31000n, true);
    new DataView(first.buffer).setBigUint64(8, 0x6000n, true);
    bus.memory.writeBytes(0x5ff0n, first);
    const second = new Uint8Array(16);
    new DataView(second.buffer).setBigUint64(0, 0x40000n, true);
    new DataView(second.buffer).setBigUint64(8, 0x41000n, true);
    bus.memory.writeBytes(0x6000n, second);
    // 4 pages: 0x30000 (PRP1), 0x31000 (first list page), 0x40000 and 0x41000 (the chained one)
    submit(bus, 0, { opcode: NvmeOpcode.READ, commandId: 3, prp1: 0x30000n, prp2: 0x5ff0n, startingLba: 0n, blockCount: 31 });
    expect(nvme.ringSubmissionDoorbell(1).errors).toBe(0);
    const disk = nvme.disk.read(0n, 32);
    expect(hex(bus.memory.readBytes(0x31000n, 4096))).toBe(hex(disk.subarray(4096, 8192)));
    expect(hex(bus.memory.readBytes(0x40000n, 4096))).toBe(hex(disk.subarray(8192, 12288)));
    expect(hex(bus.memory.readBytes(0x41000n, 4096))).toBe(hex(disk.subarray(12288)));
    // the chain pointer itself was not used as a data page
    expect([...bus.memory.readBytes(0x6000n + 16n, 8)].every((byte) => byte === 0)).toBe(true);
  });

  it("inverts the phase tag on every wrap of the completion queue and holds back on a full one", () => {
    const { bus, nvme } = controller(testBus(), 2);
    for (let round = 0; round < 3; round++) {
      submit(bus, round % 2, { opcode: NvmeOpcode.FLUSH, commandId: 10 + round });
      expect(nvme.ringSubmissionDoorbell((round + 1) % 2).completed).toBe(1);
      const entry = decodeCompletion(bus.memory.readBytes(CQ + BigInt((round % 2) * 16), 16));
      // slot 0 phase 1, slot 1 phase 1, then the queue wrapped: slot 0 phase 0
      expect(entry).toMatchObject({ commandId: 10 + round, phase: [1, 1, 0][round] });
      nvme.ringCompletionDoorbell((round + 1) % 2);
    }
    // a CQ whose head the driver does not move fills up: the next completion waits for room
    const full = controller(testBus(), 4);
    for (let slot = 0; slot < 3; slot++) submit(full.bus, slot, { opcode: NvmeOpcode.FLUSH, commandId: 30 + slot });
    expect(full.nvme.ringSubmissionDoorbell(3).completed).toBe(3);
    submit(full.bus, 3, { opcode: NvmeOpcode.FLUSH, commandId: 33 });
    expect(full.nvme.ringSubmissionDoorbell(0).completed).toBe(0);
    full.nvme.ringCompletionDoorbell(3);
    expect(full.nvme.ringSubmissionDoorbell(0).completed).toBe(1);
    expect(decodeCompletion(full.bus.memory.readBytes(CQ + 48n, 16))).toMatchObject({ commandId: 33, phase: 1 });
  });

  it("completes bad commands with their status, and aborted data DMA with Data Transfer Error", () => {
    const bus = testBus(windowIommu(0x40_0000n, 0x4000n));
    const nvme = new NvmeController(new DmaEngine(0x48, bus), 5, 64);
    nvme.configureQueues({ submissionQueue: 0x8000_0000n, completionQueue: 0x8000_1000n, entries: 8 });
    const put = (slot: number, command: Parameters<typeof encodeSubmission>[0]) => bus.memory.writeBytes(0x40_0000n + BigInt(slot * 64), encodeSubmission(command));
    put(0, { opcode: 0x7f, commandId: 1 });
    put(1, { opcode: NvmeOpcode.READ, commandId: 2, startingLba: 60n, blockCount: 7, prp1: 0x8000_2000n });
    put(2, { opcode: NvmeOpcode.READ, commandId: 3, namespaceId: 2, prp1: 0x8000_2000n });
    put(3, { opcode: NvmeOpcode.READ, commandId: 4, prp1: 0x8000_2002n });
    put(4, { opcode: NvmeOpcode.READ, commandId: 5, prp1: 0x9000_0000n });
    put(5, { opcode: NvmeOpcode.WRITE, commandId: 6, prp1: 0x9000_0000n });
    expect(nvme.ringSubmissionDoorbell(6)).toMatchObject({ completed: 6, errors: 6 });
    const status = (slot: number) => decodeCompletion(bus.memory.readBytes(0x40_1000n + BigInt(slot * 16), 16)).statusCode;
    expect([0, 1, 2, 3, 4, 5].map(status)).toEqual([
      NvmeStatus.INVALID_OPCODE,
      NvmeStatus.LBA_OUT_OF_RANGE,
      NvmeStatus.INVALID_NAMESPACE,
      NvmeStatus.PRP_OFFSET_INVALID,
      NvmeStatus.DATA_TRANSFER_ERROR,
      NvmeStatus.DATA_TRANSFER_ERROR,
    ]);
    // the failed WRITE stored nothing: the disk still holds its seeded pattern
    expect(hex(nvme.disk.read(0n, 1))).toBe(hex(new NvmeController(new DmaEngine(0x48, testBus()), 5, 64).disk.read(0n, 1)));
    // a submission queue the device cannot read stalls it
    nvme.configureQueues({ submissionQueue: 0x7000_0000n, completionQueue: 0x8000_1000n, entries: 8 });
    expect(nvme.ringSubmissionDoorbell(1)).toMatchObject({ completed: 0, stalled: true });
  });

  it("checks queue programming", () => {
    const nvme = new NvmeController(new DmaEngine(0x48, testBus()), 1);
    expect(() => nvme.ringSubmissionDoorbell(0)).toThrow(expect.objectContaining({ code: "NK-DEV-031" }));
    expect(() => nvme.configureQueues({ submissionQueue: 0x1080n, completionQueue: CQ, entries: 4 })).toThrow(expect.objectContaining({ code: "NK-DEV-030" }));
    expect(() => nvme.configureQueues({ submissionQueue: SQ, completionQueue: CQ, entries: 1 })).toThrow(expect.objectContaining({ code: "NK-DEV-030" }));
    nvme.configureQueues({ submissionQueue: SQ, completionQueue: CQ, entries: 4 });
    expect(() => nvme.ringSubmissionDoorbell(4)).toThrow(expect.objectContaining({ code: "NK-DEV-032" }));
  });
});
