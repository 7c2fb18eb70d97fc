import { NovakitError } from "@novakit/kernel-core";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { createHostPageTableFormat } from "./host-page-table-format.js";
import { canonicalAddressOf, isCanonicalAddress, splitLinearAddress, tableInputOf } from "./linear-address.js";

describe("linear addresses", () => {
  it("splits the 4-level examples of paging.md §2.5", () => {
    expect(splitLinearAddress(0x0000_7f12_3456_789an, 4)).toEqual({
      pml4: 254,
      pdpt: 72,
      pd: 418,
      pt: 359,
      offset: 0x89a,
      indices: [254, 72, 418, 359],
    });
    expect(splitLinearAddress(0xffff_8000_1234_5678n, 4)).toMatchObject({ pml4: 256, pdpt: 0, pd: 145, pt: 325, offset: 0x678 });
  });

  it("splits the 5-level example of paging.md §2.6", () => {
    expect(splitLinearAddress(0x00ab_cdef_0123_4567n, 5)).toEqual({
      pml5: 171,
      pml4: 411,
      pdpt: 444,
      pd: 9,
      pt: 52,
      offset: 0x567,
      indices: [171, 411, 444, 9, 52],
    });
  });

  it("checks canonical form (paging.md §2.2)", () => {
    expect(isCanonicalAddress(0x0000_7fff_ffff_ffffn, 4)).toBe(true);
    expect(isCanonicalAddress(0xffff_8000_0000_0000n, 4)).toBe(true);
    expect(isCanonicalAddress(0x0000_8000_0000_0000n, 4)).toBe(false);
    expect(isCanonicalAddress(0x00ab_cdef_0123_4567n, 4)).toBe(false);
    expect(isCanonicalAddress(0x00ab_cdef_0123_4567n, 5)).toBe(true);
    expect(isCanonicalAddress(0xff00_0000_0000_0000n, 5)).toBe(true);
    expect(isCanonicalAddress(0xfe00_0000_0000_0000n, 5)).toBe(false);
    expect(() => splitLinearAddress(0x0000_8000_0000_0000n, 4)).toThrow(NovakitError);
    expect(tableInputOf(0xffff_8000_1234_5678n, 4)).toBe(0x8000_1234_5678n);
    expect(canonicalAddressOf(0x8000_1234_5678n, 4)).toBe(0xffff_8000_1234_5678n);
    expect(canonicalAddressOf(0x00ab_cdef_0123_4567n, 5)).toBe(0x00ab_cdef_0123_4567n);
  });

  it("a 5-level table puts the §2.6 address under root slot 171", () => {
    const la57 = createHostPageTableFormat({ levels: 5, physicalAddressBits: 52, has1GbPages: true });
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x10_0000n, size: 0x10_0000n }]);
    const table = new RadixPageTable(la57, allocator, memory);
    const va = 0x00ab_cdef_0123_4567n;
    table.map(tableInputOf(va, 5) & ~0xfffn, 0xf_ffff_f000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES);
    let address = table.rootAddress;
    for (const index of splitLinearAddress(va, 5).indices) {
      const entry = memory.read64(address + BigInt(index) * 8n);
      expect(entry & 1n).toBe(1n);
      address = entry & 0x000f_ffff_ffff_f000n;
    }
    expect(address).toBe(0xf_ffff_f000n);
    expect(table.lookup(tableInputOf(va, 5))?.outputAddress).toBe(0xf_ffff_f567n);
    expect(table.stats().tablesPerLevel).toEqual([1, 1, 1, 1, 1]);
  });
});
