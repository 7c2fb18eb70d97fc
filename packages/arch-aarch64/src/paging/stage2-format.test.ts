import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, NovakitError, PhysicalMemory, RadixPageTable, type CacheAttribute, type MemoryAttributes } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { cacheOfStage2MemAttr, stage2MemAttrOf } from "./memory-attributes.js";
import { createStage2Format, Stage2Execute } from "./stage2-format.js";

const { R, W, XU, XS } = MemoryPermission;
const CACHES: readonly CacheAttribute[] = ["WB", "WT", "WC", "UC", "DEV"];

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NovakitError ? error.code : "not a NovakitError";
  }
  return undefined;
}

describe("VMSAv8-64 stage-2 format", () => {
  const s2 = createStage2Format({ ipaBits: 40, outputBits: 44, lpa2: false });

  it("chooses start level and concatenation as KVM (paging.md §3.6)", () => {
    expect(s2).toMatchObject({ name: "aarch64-s2-40bit", levels: 3, rootEntries: 1024, maxLeafLevel: 2 });
    expect(createStage2Format({ ipaBits: 32, outputBits: 40, lpa2: false })).toMatchObject({ levels: 2, rootEntries: 2048 });
    expect(createStage2Format({ ipaBits: 44, outputBits: 44, lpa2: false })).toMatchObject({ levels: 4, rootEntries: 32 });
    expect(createStage2Format({ ipaBits: 48, outputBits: 48, lpa2: false })).toMatchObject({ levels: 4, rootEntries: 512 });
    expect(createStage2Format({ ipaBits: 52, outputBits: 52, lpa2: true })).toMatchObject({ levels: 4, rootEntries: 8192, maxLeafLevel: 3 });
    // start level 0 needs a PA of at least 44 bits
    expect(codeOf(() => createStage2Format({ ipaBits: 44, outputBits: 42, lpa2: false }))).toBe("NK-A64-005");
    expect(codeOf(() => createStage2Format({ ipaBits: 52, outputBits: 48, lpa2: false }))).toBe("NK-A64-005");
    expect(codeOf(() => createStage2Format({ ipaBits: 31, outputBits: 40, lpa2: false }))).toBe("NK-A64-005");
  });

  it("encodes S2AP, MemAttr and the two-bit XN (paging.md §3.5)", () => {
    const rw = s2.encodeLeaf(0x5000n, 0, R | W, DEFAULT_ATTRIBUTES);
    expect(rw).toBe(0x0040_0000_0000_57ffn);
    expect(Number((rw >> 53n) & 3n)).toBe(Stage2Execute.NONE);
    expect(Number((s2.encodeLeaf(0x5000n, 0, R | XU, DEFAULT_ATTRIBUTES) >> 53n) & 3n)).toBe(Stage2Execute.EL0_ONLY);
    expect(Number((s2.encodeLeaf(0x5000n, 0, R | XS, DEFAULT_ATTRIBUTES) >> 53n) & 3n)).toBe(Stage2Execute.EL1_ONLY);
    expect(Number((s2.encodeLeaf(0x5000n, 0, R | XU | XS, DEFAULT_ATTRIBUTES) >> 53n) & 3n)).toBe(Stage2Execute.ALL);
    // write-only and execute-only are expressible at stage 2
    expect(s2.decode(s2.encodeLeaf(0x5000n, 0, W, DEFAULT_ATTRIBUTES), 0)).toMatchObject({ permissions: W });
    expect(s2.decode(s2.encodeLeaf(0x5000n, 0, XS, DEFAULT_ATTRIBUTES), 0)).toMatchObject({ permissions: XS });
    // kernel marker in software bit 55
    expect(s2.encodeLeaf(0x5000n, 0, R, { ...DEFAULT_ATTRIBUTES, kernel: true }) & (1n << 55n)).toBe(1n << 55n);
  });

  it("derives MemAttr from NOVA's MAIR bytes: WB 0xF, WT 0xA, WC 0x5, UC 0x0, DEV 0x1", () => {
    expect(CACHES.map(stage2MemAttrOf)).toEqual([0xf, 0xa, 0x5, 0x0, 0x1]);
    for (const cache of CACHES) expect(cacheOfStage2MemAttr(stage2MemAttrOf(cache))).toBe(cache);
  });

  it("round-trips every permission set, cache and level", () => {
    const lpa2 = createStage2Format({ ipaBits: 52, outputBits: 52, lpa2: true });
    for (const format of [s2, lpa2]) {
      for (let level = 0; level <= format.maxLeafLevel; level++) {
        const address = level === 3 ? 0xf_8000_0000_0000n : 0x4000_0000n;
        for (const cache of CACHES) {
          for (let permissions = 1; permissions <= 0xf; permissions++) {
            const attributes: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache, kernel: (permissions & 1) === 0 };
            const entry = format.encodeLeaf(address, level, permissions, attributes);
            expect(format.decode(entry, level)).toEqual({ type: "leaf", address, permissions, attributes });
          }
        }
      }
    }
  });

  it("maps through a concatenated root with the engine", () => {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x10_0000n }]);
    const table = new RadixPageTable(s2, allocator, memory);
    expect(table.rootAddress % 0x2000n).toBe(0n);
    expect(table.map(0xff_c000_0000n, 0x4000_0000n, 18, R | W, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(0xff_c000_1234n)).toMatchObject({ outputAddress: 0x4000_1234n, order: 18 });
    // the last root slot (index 1023) holds the block, in the second 4 KiB root table
    expect(memory.read64(table.rootAddress + 1023n * 8n) & 0xffff_f000n).toBe(0x4000_0000n);
    expect(table.map(1n << 40n, 0n, 0, R, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
  });

  it("maps through sixteen concatenated root tables (52-bit IPA with LPA2)", () => {
    const lpa2 = createStage2Format({ ipaBits: 52, outputBits: 52, lpa2: true });
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x100_0000n }]);
    const table = new RadixPageTable(lpa2, allocator, memory);
    expect(table.rootAddress % 0x1_0000n).toBe(0n);
    const ipa = 0xf_ff80_1234_5000n;
    expect(table.map(ipa, 0xc_0000_8000_0000n, 0, R | W, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(ipa + 0x10n)).toMatchObject({ outputAddress: 0xc_0000_8000_0010n, permissions: R | W });
    // root index = IPA bits 51:39 = 8191: the last slot of the sixteenth 4 KiB root table
    expect(memory.read64(table.rootAddress + 8191n * 8n) & 3n).toBe(3n);
  });
});
