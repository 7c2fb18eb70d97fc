import { DEFAULT_ATTRIBUTES, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { FixedTableAllocator } from "../test-support/fixed-allocator.js";
import { NOVA_MAIR_EL2 } from "./memory-attributes.js";
import { createStage1El2Format } from "./stage1-el2-format.js";
import { createStage2Format } from "./stage2-format.js";
import { tcrEl2, vttbrEl2, vtcrEl2 } from "./translation-control.js";

const { R, W, XU, XS } = MemoryPermission;
/** the example's descriptors have nG = 0: a global mapping (non-VHE EL2 has no ASIDs) */
const GLOBAL = { ...DEFAULT_ATTRIBUTES, global: true };

describe("reference/paging.md §3.9: stage-1 EL2, 4K granule, 48-bit VA", () => {
  const VA = 0x0000_1234_5678_9abcn;
  const format = createStage1El2Format({ inputBits: 48, outputBits: 48, lpa2: false });

  it("programs TCR_EL2 = 0x8085_3510 and MAIR_EL2 byte 7 = 0xFF", () => {
    expect(tcrEl2({ inputBits: 48, physicalAddressBits: 48, lpa2: false })).toBe(0x8085_3510n);
    expect((NOVA_MAIR_EL2 >> 56n) & 0xffn).toBe(0xffn);
    expect(NOVA_MAIR_EL2).toBe(0xffbb_4400_0c08_0400n);
  });

  it("walks the block case through real tables at the example's addresses", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(format, new FixedTableAllocator([0x4000_0000n, 0x4000_1000n, 0x4000_2000n, 0x4000_3000n]), memory);
    expect(table.rootAddress).toBe(0x4000_0000n);
    // a 2 MiB block: order 9 at the 2 MiB-aligned VA
    const result = table.map(VA & ~0x1f_ffffn, 0x8000_0000n, 9, R | W, GLOBAL);
    expect(result.ok).toBe(true);
    // L0 index 36 -> 0x4000_0120 points at 0x4000_1000; L1 index 209 -> 0x4000_1688 -> 0x4000_2000
    expect(memory.read64(0x4000_0120n)).toBe(0x4000_1003n);
    expect(memory.read64(0x4000_1688n)).toBe(0x4000_2003n);
    // L2 index 179 -> 0x4000_2598 holds the example's block descriptor
    expect(memory.read64(0x4000_2598n)).toBe(0x0040_0000_8000_075dn);
    const translation = table.lookup(VA);
    expect(translation?.outputAddress).toBe(0x8018_9abcn);
    expect(translation?.order).toBe(9);
    expect(translation?.permissions).toBe(R | W);
  });

  it("walks the page case: L3 index 393 at 0x4000_3C48 holds 0x0040_0000_9000_075F", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(format, new FixedTableAllocator([0x4000_0000n, 0x4000_1000n, 0x4000_2000n, 0x4000_3000n]), memory);
    expect(table.map(VA & ~0xfffn, 0x9000_0000n, 0, R | W, GLOBAL).ok).toBe(true);
    expect(memory.read64(0x4000_2598n)).toBe(0x4000_3003n);
    expect(memory.read64(0x4000_3c48n)).toBe(0x0040_0000_9000_075fn);
    expect(table.lookup(VA)?.outputAddress).toBe(0x9000_0abcn);
  });

  it("splits a 52-bit LPA2 VA as L-1 15, L0 36, L1 209, L2 179, L3 393", () => {
    const lpa2 = createStage1El2Format({ inputBits: 52, outputBits: 52, lpa2: true });
    expect(lpa2).toMatchObject({ levels: 5, rootEntries: 16, inputBits: 52, maxLeafLevel: 3 });
    const frames = [0x4000_0000n, 0x4000_1000n, 0x4000_2000n, 0x4000_3000n, 0x4000_4000n];
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(lpa2, new FixedTableAllocator(frames), memory);
    const va = 0x000f_1234_5678_9abcn;
    // an output address above 2^50 exercises OA[51:50] in bits 9:8
    const pa = 0x000c_0000_9000_0000n;
    expect(table.map(va & ~0xfffn, pa, 0, R | W, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(memory.read64(0x4000_0000n + 15n * 8n)).toBe(0x4000_1003n);
    expect(memory.read64(0x4000_1000n + 36n * 8n)).toBe(0x4000_2003n);
    expect(memory.read64(0x4000_2000n + 209n * 8n)).toBe(0x4000_3003n);
    expect(memory.read64(0x4000_3000n + 179n * 8n)).toBe(0x4000_4003n);
    // page: OA[49:12] = 0x9000_0000 | bit 48.. of 0xc...: 0xc << 48 = bits 51:50 set -> bits 9:8 = 11
    const page = memory.read64(0x4000_4000n + 393n * 8n);
    expect(page & 0x3_ffff_ffff_f000n).toBe(0x9000_0000n);
    expect((page >> 8n) & 3n).toBe(3n);
    expect(page & 3n).toBe(3n);
    expect(table.lookup(va)?.outputAddress).toBe(pa | 0xabcn);
  });
});

describe("reference/paging.md §3.10: stage 2, 40-bit IPA, concatenated level 1", () => {
  const format = createStage2Format({ ipaBits: 40, outputBits: 40, lpa2: false });

  it("has NOVA's Npt shape and VTCR_EL2 = 0x8002_3558, VTTBR_EL2 = 0x0005_0000_4800_0000", () => {
    expect(format).toMatchObject({ levels: 3, inputBits: 40, rootEntries: 1024 });
    expect(vtcrEl2({ ipaBits: 40, physicalAddressBits: 40, lpa2: false })).toBe(0x8002_3558n);
    expect(vttbrEl2(0x4800_0000n, 8192, 5)).toBe(0x0005_0000_4800_0000n);
  });

  it("walks IPA 0x80_1234_5678 through the second concatenated table to PA 0xC014_5678", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(format, new FixedTableAllocator([0x4800_0000n, 0x4800_a000n, 0x4800_b000n]), memory);
    const ipa = 0x80_1234_5678n;
    expect(table.map(ipa & ~0x1f_ffffn, 0xc000_0000n, 9, R | W | XU | XS, DEFAULT_ATTRIBUTES).ok).toBe(true);
    // L1 index 512 -> 0x4800_1000, the first entry of the second 4 KiB root table
    expect(memory.read64(0x4800_1000n)).toBe(0x4800_a003n);
    // L2 index 145 -> 0x4800_A488: MemAttr 0xF, S2AP 11, SH 11, AF, XN 00
    expect(memory.read64(0x4800_a488n)).toBe(0x0000_0000_c000_07fdn);
    expect(table.lookup(ipa)?.outputAddress).toBe(0xc014_5678n);
  });

  it("without the block, L3 index 325 and offset 0x678", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(format, new FixedTableAllocator([0x4800_0000n, 0x4800_a000n, 0x4800_b000n]), memory);
    const ipa = 0x80_1234_5678n;
    expect(table.map(ipa & ~0xfffn, 0xc000_5000n, 0, R, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(memory.read64(0x4800_a488n)).toBe(0x4800_b003n);
    const page = memory.read64(0x4800_b000n + 325n * 8n);
    expect(page & 0xffff_f000n).toBe(0xc000_5000n);
    expect(table.lookup(ipa)).toMatchObject({ outputAddress: 0xc000_5678n, permissions: R });
  });
});
