import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeCommand, type CommandSupport } from "./decode-command.js";
import {
  encodeCommand,
  encodeCompletePprRequest,
  encodeCompletionWait,
  encodeInvalidateDevtabEntry,
  encodeInvalidateDomain,
  encodeInvalidateInterruptTable,
  encodeInvalidateIommuAll,
  encodeInvalidateIommuPages,
  encodeInvalidateIotlbPages,
  encodePrefetchIommuPages,
} from "./encode-command.js";
import type { CommandWords, IommuCommand } from "./command-types.js";
import { decodeInvalidationRange, encodeInvalidationRange } from "./invalidation-range.js";

/** PreFSup | PPRSup | IASup: every opcode the model knows is supported */
const ALL_FEATURES: CommandSupport = { efr: 0x43n, iotlbSupported: true };

/** Hand-computed from amd-iommu.md §5.3 (bit positions written out in each comment). */
const VECTORS: ReadonlyArray<{ readonly command: IommuCommand; readonly words: CommandWords }> = [
  {
    // opcode 1 << 60 | address 0xF_1234_5678_9AB8 (51:3) | I (1) | S (0); data in 127:64
    command: { kind: "COMPLETION_WAIT", store: true, interrupt: true, flush: false, storeAddress: 0xf_1234_5678_9ab8n, storeData: 0x1122_3344_5566_7788n },
    words: [0x100f_1234_5678_9abbn, 0x1122_3344_5566_7788n],
  },
  {
    // NOVA's per-batch completion: store to the doorbell, no interrupt
    command: { kind: "COMPLETION_WAIT", store: true, interrupt: false, flush: false, storeAddress: 0x12000n, storeData: 5n },
    words: [0x1000_0000_0001_2001n, 5n],
  },
  { command: { kind: "INVALIDATE_DEVTAB_ENTRY", deviceId: 0x0100 }, words: [0x2000_0000_0000_0100n, 0n] },
  {
    // NOVA's whole-domain flush: DomainID 0x42 at 47:32; address 63:12 all ones, PDE (65), S (64)
    command: { kind: "INVALIDATE_IOMMU_PAGES", domainId: 0x42, pasid: 0, address: 0xffff_ffff_ffff_f000n, size: true, pde: true, guest: false },
    words: [0x3000_0042_0000_0000n, 0xffff_ffff_ffff_f003n],
  },
  {
    command: { kind: "INVALIDATE_IOMMU_PAGES", domainId: 7, pasid: 0xabcde, address: 0x1234_5000n, size: false, pde: false, guest: true },
    words: [0x3000_0007_000a_bcden, 0x1234_5004n],
  },
  {
    // DeviceID 15:0, PASID 15:8 at 23:16, MaxPend 31:24, queue 47:32, PASID 7:0 at 55:48; S, GN, type 69:68
    command: { kind: "INVALIDATE_IOTLB_PAGES", deviceId: 0x0100, pasid: 0xabcd, maxPending: 0x20, queueId: 0x0100, address: 0x4000_0000n, size: true, guest: true, invalidationType: 1 },
    words: [0x40cd_0100_20ab_0100n, 0x4000_0015n],
  },
  { command: { kind: "INVALIDATE_INTERRUPT_TABLE", deviceId: 0x00a5 }, words: [0x5000_0000_0000_00a5n, 0n] },
  {
    // DeviceID, PFCount 31:24, PASID 51:32; GN (66), Inval (68)
    command: { kind: "PREFETCH_IOMMU_PAGES", deviceId: 0x10, prefetchCount: 3, pasid: 0x12345, address: 0x7000n, size: false, guest: true, invalidate: true },
    words: [0x6001_2345_0300_0010n, 0x7014n],
  },
  {
    // tag 104:96, response 111:108
    command: { kind: "COMPLETE_PPR_REQUEST", deviceId: 0x10, pasid: 5, guest: false, tag: 0x1ff, responseCode: 0xf },
    words: [0x7000_0005_0000_0010n, 0x0000_f1ff_0000_0000n],
  },
  { command: { kind: "INVALIDATE_IOMMU_ALL" }, words: [0x8000_0000_0000_0000n, 0n] },
];

describe("command encode/decode (amd-iommu.md §5.3)", () => {
  it.each(VECTORS.map((vector) => [vector.command.kind, vector] as const))("%s round-trips against hand-computed words", (_kind, vector) => {
    expect(encodeCommand(vector.command)).toEqual(vector.words);
    expect(decodeCommand(vector.words, ALL_FEATURES)).toEqual({ legal: true, command: vector.command });
  });

  it("the single-purpose encoders produce the same words", () => {
    expect(encodeCompletionWait({ store: true, interrupt: false, storeAddress: 0x12000n, storeData: 5n })).toEqual([0x1000_0000_0001_2001n, 5n]);
    expect(encodeInvalidateDevtabEntry(0x100)).toEqual([0x2000_0000_0000_0100n, 0n]);
    expect(encodeInvalidateDomain(0x42)).toEqual([0x3000_0042_0000_0000n, 0xffff_ffff_ffff_f003n]);
    expect(encodeInvalidateIommuPages({ domainId: 1, address: 0x5000n, size: false, pde: true })).toEqual([0x3000_0001_0000_0000n, 0x5002n]);
    expect(encodeInvalidateInterruptTable(0xa5)).toEqual([0x5000_0000_0000_00a5n, 0n]);
    expect(encodeInvalidateIommuAll()).toEqual([0x8000_0000_0000_0000n, 0n]);
    expect(encodeInvalidateIotlbPages({ deviceId: 1, pasid: 0, maxPending: 0, queueId: 1, address: 0n, size: false, guest: false, invalidationType: 0 })).toEqual([
      0x4000_0001_0000_0001n,
      0n,
    ]);
    expect(encodePrefetchIommuPages({ deviceId: 1, prefetchCount: 0, pasid: 0, address: 0n, size: true, guest: false, invalidate: false })).toEqual([0x6000_0000_0000_0001n, 1n]);
    expect(encodeCompletePprRequest({ deviceId: 2, pasid: 0, guest: true, tag: 0, responseCode: 0 })).toEqual([0x7000_0000_0000_0002n, 4n]);
  });

  it("rejects fields that do not fit (NK-IOMMU-204)", () => {
    expect(() => encodeInvalidateDevtabEntry(0x10000)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
    expect(() => encodeCompletionWait({ store: true, interrupt: false, storeAddress: 0x12004n, storeData: 0n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
    expect(() => encodeCompletionWait({ store: true, interrupt: false, storeAddress: 1n << 52n, storeData: 0n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
    expect(() => encodeInvalidateIommuPages({ domainId: 1, address: 0x5008n, size: false, pde: false })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
    expect(() => encodeInvalidateIommuPages({ domainId: -1, address: 0n, size: false, pde: false })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
    expect(() => encodeCompletePprRequest({ deviceId: 2, pasid: 0, guest: false, tag: 0x200, responseCode: 0 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-204" }));
  });

  it("words that are not two unsigned quadwords are NK-IOMMU-205", () => {
    expect(() => decodeCommand([-1n, 0n], ALL_FEATURES)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-205" }));
    expect(() => decodeCommand([0n, 1n << 64n], ALL_FEATURES)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-205" }));
  });
});

describe("illegal commands (§5.2, §10.12)", () => {
  it("reserved opcodes 00h, 0Bh-0Fh", () => {
    for (const opcode of [0x0, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      expect(decodeCommand([BigInt(opcode) << 60n, 0n], ALL_FEATURES)).toEqual({ legal: false, opcode, reason: "RESERVED_OPCODE" });
    }
  });

  it("vIOMMU opcodes 09h and 0Ah: the model has no vIOMMU", () => {
    expect(decodeCommand([0x9n << 60n, 0n], ALL_FEATURES)).toMatchObject({ legal: false, reason: "UNSUPPORTED_FEATURE" });
    expect(decodeCommand([0xan << 60n, 0n], ALL_FEATURES)).toMatchObject({ legal: false, reason: "UNSUPPORTED_FEATURE" });
  });

  it("a set reserved bit makes each command illegal", () => {
    const cases: ReadonlyArray<CommandWords> = [
      [0x1000_0000_0000_0001n | (1n << 52n), 0n], // COMPLETION_WAIT 59:52
      [0x2000_0000_0001_0100n, 0n], // DEVTAB bit 16
      [0x2000_0000_0000_0100n, 1n], // DEVTAB operand 2
      [0x3000_0042_0010_0000n, 0n], // IOMMU_PAGES bit 20
      [0x3000_0042_0000_0000n, 0xffff_ffff_ffff_f00bn], // IOMMU_PAGES bit 67
      [0x4000_0000_0000_0000n | (1n << 56n), 0n], // IOTLB_PAGES 59:56
      [0x4000_0000_0000_0000n, 2n], // IOTLB_PAGES bit 65
      [0x5000_0000_0000_0000n, 1n << 63n], // INTERRUPT_TABLE operand 2
      [0x6000_0000_0001_0000n, 0n], // PREFETCH bit 16
      [0x7000_0000_0001_0000n, 0n], // PPR bit 16
      [0x7000_0000_0000_0000n, 1n], // PPR bit 64
      [0x8000_0000_0000_0001n, 0n], // ALL operand 1
      [0x8000_0000_0000_0000n, 1n], // ALL operand 2
    ];
    for (const words of cases) expect(decodeCommand(words, ALL_FEATURES)).toMatchObject({ legal: false, reason: "RESERVED_BITS" });
  });

  it("commands of unsupported features are illegal", () => {
    const none: CommandSupport = { efr: 0n, iotlbSupported: false };
    expect(decodeCommand(encodeInvalidateIommuAll(), none)).toMatchObject({ legal: false, opcode: 8, reason: "UNSUPPORTED_FEATURE" });
    expect(decodeCommand([0x6000_0000_0000_0000n, 0n], none)).toMatchObject({ legal: false, reason: "UNSUPPORTED_FEATURE" });
    expect(decodeCommand([0x7000_0000_0000_0000n, 0n], none)).toMatchObject({ legal: false, reason: "UNSUPPORTED_FEATURE" });
    expect(decodeCommand([0x4000_0000_0000_0000n, 0n], none)).toMatchObject({ legal: false, reason: "UNSUPPORTED_FEATURE" });
    expect(decodeCommand(encodeInvalidateDevtabEntry(3), none)).toMatchObject({ legal: true });
  });

  it("S=I=0 COMPLETION_WAIT is legal: NOVA repairs a bad command with it (nova.md §4.7)", () => {
    expect(decodeCommand([0x1000_0000_0000_0000n, 0n], { efr: 0n, iotlbSupported: true })).toMatchObject({ legal: true, command: { store: false, interrupt: false } });
  });
});

describe("invalidation ranges (§5.3 S bit)", () => {
  it("S=0 is one page; S=1 sizes the block by the first zero bit", () => {
    expect(decodeInvalidationRange(0x4000_1000n, false)).toEqual({ first: 0x4000_1000n, last: 0x4000_1fffn });
    // bit 12 = 1, bit 13 = 0: z = 13, 16 KiB block containing the address
    expect(decodeInvalidationRange(0x4000_1000n, true)).toEqual({ first: 0x4000_0000n, last: 0x4000_3fffn });
    // bit 12 = 0: 8 KiB
    expect(decodeInvalidationRange(0x4000_2000n, true)).toEqual({ first: 0x4000_2000n, last: 0x4000_3fffn });
  });

  it("the invalidate-all encodings of NOVA and Linux name the whole space", () => {
    const whole = { first: 0n, last: (1n << 64n) - 1n };
    expect(decodeInvalidationRange(0xffff_ffff_ffff_f000n, true)).toEqual(whole);
    expect(decodeInvalidationRange(0x7fff_ffff_ffff_f000n, true)).toEqual(whole);
    // first zero at bit 51: whole space too
    expect(decodeInvalidationRange(0x0007_ffff_ffff_f000n, true)).toEqual(whole);
    // first zero at bit 50: a 2^51 block
    expect(decodeInvalidationRange(0x0003_ffff_ffff_f000n, true)).toEqual({ first: 0n, last: (1n << 51n) - 1n });
  });

  it("encodeInvalidationRange covers the range with the smallest aligned block (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 40n) }), (first, length) => {
        const last = first + length > (1n << 64n) - 1n ? (1n << 64n) - 1n : first + length;
        const { address, size } = encodeInvalidationRange({ first, last });
        const covered = decodeInvalidationRange(address, size);
        expect(covered.first <= first && covered.last >= last).toBe(true);
        // minimal: half the block would not cover both ends
        const bytes = covered.last - covered.first + 1n;
        if (bytes > 0x1000n && bytes < 1n << 51n) {
          const half = bytes / 2n;
          expect(first < covered.first + half && last >= covered.first + half).toBe(true);
        }
      }),
    );
    expect(() => encodeInvalidationRange({ first: 0x2000n, last: 0x1000n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-211" }));
  });
});
