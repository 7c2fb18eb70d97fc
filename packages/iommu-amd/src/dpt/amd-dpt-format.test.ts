import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, NovakitError, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { createAmdDptFormat } from "./amd-dpt-format.js";
import { decodeExplicitPageSize, encodeExplicitPageSize } from "./explicit-page-size.js";

const { R, W } = MemoryPermission;

describe("createAmdDptFormat (amd-iommu.md §4.2, nova.md §3.2)", () => {
  const format = createAmdDptFormat({ levels: 4 });

  it("writes tables as PR|A|IR|IW with NextLevel = the level of the table pointed to", () => {
    // engine level 2 (AMD level 3) pointing to an AMD level-2 table: the §4.5 entry plus NOVA's A
    expect(format.encodeTable(0x101000n, 2)).toBe(0x6000000000101401n | 0x20n);
    expect(format.encodeTable(0x102000n, 1)).toBe(0x6000000000102201n | 0x20n);
  });

  it("writes leaves with PR|A|D, IR for R, IW for W, NextLevel 0", () => {
    expect(format.encodeLeaf(0xabcde000n, 0, R, DEFAULT_ATTRIBUTES)).toBe(0x20000000abcde061n);
    expect(format.encodeLeaf(0xabcde000n, 0, R | W, DEFAULT_ATTRIBUTES)).toBe(0x60000000abcde061n);
    expect(format.encodeLeaf(0x40000000n, 1, W, DEFAULT_ATTRIBUTES)).toBe(0x4000000040000061n);
    expect(format.encodeLeaf(0x40000000n, 2, R | W, DEFAULT_ATTRIBUTES)).toBe(0x6000000040000061n);
    // no R and no W: DMA has nothing else to allow, the slot stays a hole
    expect(format.encodeLeaf(0x1000n, 0, MemoryPermission.XU, DEFAULT_ATTRIBUTES)).toBe(0n);
  });

  it("round-trips every leaf and table it encodes", () => {
    for (const level of [0, 1, 2]) {
      for (const permissions of [R, W, R | W]) {
        const address = 0x3_4000_0000n + (1n << BigInt(12 + 9 * level)) * 5n;
        const decoded = format.decode(format.encodeLeaf(address, level, permissions, DEFAULT_ATTRIBUTES), level);
        expect(decoded).toEqual({ type: "leaf", address, permissions, attributes: DEFAULT_ATTRIBUTES });
      }
    }
    for (const level of [1, 2, 3]) expect(format.decode(format.encodeTable(0x7_7777_7000n, level), level)).toEqual({ type: "table", address: 0x7_7777_7000n });
    expect(format.decode(0n, 3)).toEqual({ type: "hole" });
    expect(format.decode(0x6000000000101400n, 2)).toEqual({ type: "hole" }); // PR = 0
  });

  it("decodes the entries of the worked example (§4.5)", () => {
    expect(format.decode(0x6000000000101401n, 2)).toEqual({ type: "table", address: 0x101000n });
    expect(format.decode(0x20000000abcde001n, 0)).toMatchObject({ type: "leaf", address: 0xabcde000n, permissions: R });
    expect(format.decode(0x6000000040000001n, 1)).toMatchObject({ type: "leaf", address: 0x40000000n, permissions: R | W });
  });

  it("rejects what the radix engine cannot hold: skipping PDEs, upward NextLevel, NextLevel 7", () => {
    expect(() => format.decode(0x6000000000101201n, 2)).toThrowError(NovakitError); // level 3 -> level 1: skips
    expect(() => format.decode(0x6000000000101601n, 2)).toThrowError(/not below/); // NextLevel 3 at level 3
    expect(() => format.decode(0x6000000080003e01n, 0)).toThrowError(/NK-IOMMU|explicit/);
    try {
      format.decode(0x6000000000101201n, 2);
    } catch (error) {
      expect((error as NovakitError).code).toBe("NK-IOMMU-103");
    }
  });

  it("checks levels and alignment", () => {
    expect(() => createAmdDptFormat({ levels: 0 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-101" }));
    expect(() => createAmdDptFormat({ levels: 7 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-101" }));
    expect(() => format.encodeLeaf(0x1000n, 1, R, DEFAULT_ATTRIBUTES)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-102" }));
    expect(() => format.encodeLeaf(0x40000000n, 3, R, DEFAULT_ATTRIBUTES)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-102" }));
    expect(() => format.encodeTable(0x1000n, 0)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-102" }));
    expect(() => format.encodeTable(1n << 52n, 1)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-102" }));
    expect(createAmdDptFormat({ levels: 6 }).inputBits).toBe(64);
    expect(createAmdDptFormat({ levels: 3 }).inputBits).toBe(39);
    expect(createAmdDptFormat({ levels: 1 }).maxLeafLevel).toBe(0);
  });

  it("drives the radix engine: the tables hold the exact entries, permissions are ANDed along the path", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(createAmdDptFormat({ levels: 3 }), new FrameAllocator([{ base: 0x100000n, size: 0x100000n }]), memory);
    expect(table.map(0x12_3456_7000n, 0xabcde000n, 0, R, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
    expect(table.map(0x40000000n, 0x80000000n, 9, R | W, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
    const root = table.rootAddress;
    expect(root).toBe(0x100000n);
    // level 3 index 0x48 -> table, level 2 index 0x1A2 -> table, level 1 index 0x167 -> leaf
    const l3 = memory.read64(root + 0x48n * 8n);
    expect(l3 & 0xfffn).toBe(0x421n);
    const l2 = memory.read64((l3 & 0xf_ffff_ffff_f000n) + 0x1a2n * 8n);
    expect(l2 & 0xfffn).toBe(0x221n);
    expect(memory.read64((l2 & 0xf_ffff_ffff_f000n) + 0x167n * 8n)).toBe(0x20000000abcde061n);
    // a 2 MiB leaf at level 2 for the second mapping (NextLevel 0)
    expect(table.lookup(0x40012345n)).toMatchObject({ outputAddress: 0x80012345n, permissions: R | W, order: 9 });
    expect(table.lookup(0x12_3456_7abcn)).toMatchObject({ outputAddress: 0xabcdeabcn, permissions: R, order: 0 });
    // beyond 39 bits for Mode 3
    expect(table.map(1n << 39n, 0n, 0, R, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
  });
});

describe("explicit page size (NextLevel 7, §4.4)", () => {
  it("decodes the 32 KiB example and encodes it back the way Linux does", () => {
    expect(decodeExplicitPageSize(0x6000000080003e01n)).toEqual({ size: 0x8000n, base: 0x80000000n });
    expect(encodeExplicitPageSize(0x80000000n, 0x8000n)).toBe(0x80003000n);
    expect(encodeExplicitPageSize(0x80000000n, 0x2000n)).toBe(0x80000000n);
    for (let bits = 13n; bits < 40n; bits++) {
      const size = 1n << bits;
      const field = encodeExplicitPageSize(size * 3n, size);
      expect(decodeExplicitPageSize(field)).toEqual({ size, base: size * 3n });
    }
  });

  it("refuses 4 KiB and misaligned pages", () => {
    expect(() => encodeExplicitPageSize(0x1000n, 0x1000n)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-104" }));
    expect(() => encodeExplicitPageSize(0x1000n, 0x8000n)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-104" }));
  });
});
