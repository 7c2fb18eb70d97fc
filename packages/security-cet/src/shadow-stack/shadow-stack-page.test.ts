import { describe, expect, it } from "vitest";
import { MemoryPermission, NovakitError, type KernelServices } from "@novakit/kernel-core";
import { createHostPageTableFormat } from "@novakit/arch-x86_64";
import { memoryOnlyKernel } from "../test-support/cet-test-cpu.js";
import { SHADOW_STACK_BASE, SHADOW_STACK_TOP } from "./shadow-stack-layout.js";
import { createShadowStackPage, tableInput } from "./shadow-stack-page.js";

/** The leaf entry for `linear` of a 4-level x86 table, read from memory as the CPU walks it. */
function leafEntry(kernel: KernelServices, root: bigint, linear: bigint): bigint {
  let table = root;
  for (let level = 3; level >= 0; level -= 1) {
    const index = (linear >> BigInt(12 + 9 * level)) & 0x1ffn;
    const entry = kernel.physicalMemory.read64(table + index * 8n);
    if (level === 0) return entry;
    table = entry & 0x000f_ffff_ffff_f000n;
  }
  throw new Error("unreachable");
}

describe("the per-CPU shadow-stack page", () => {
  it("is mapped through the real x86 host format with R/W=0, D=1, supervisor, global, NX (cet.md §4.3, §7)", () => {
    const format = createHostPageTableFormat({ levels: 4, physicalAddressBits: 46, has1GbPages: true });
    const kernel = memoryOnlyKernel(format);
    const page = createShadowStackPage(kernel, 0);
    const entry = leafEntry(kernel, page.table.rootAddress, SHADOW_STACK_BASE);
    // the walk uses bits 47:0 of the canonical address: PML4 index 511, PDPT 510, PD 511, PT 510
    expect([39n, 30n, 21n, 12n].map((shift) => (SHADOW_STACK_BASE >> shift) & 0x1ffn)).toEqual([511n, 510n, 511n, 510n]);
    const bit = (n: bigint): boolean => ((entry >> n) & 1n) === 1n;
    expect(bit(0n)).toBe(true); // P
    expect(bit(1n)).toBe(false); // R/W = 0
    expect(bit(2n)).toBe(false); // U/S = 0: supervisor shadow stack
    expect(bit(6n)).toBe(true); // D = 1
    expect(bit(8n)).toBe(true); // G
    expect(bit(63n)).toBe(true); // XD: not executable
    expect(entry & 0x000f_ffff_ffff_f000n).toBe(page.frame);
    const translation = page.table.lookup(tableInput(page.table, SHADOW_STACK_TOP));
    expect(translation?.attributes.shadowStack).toBe(true);
    expect(translation?.permissions).toBe(MemoryPermission.R);
  });

  it("holds a free supervisor token at SSTK_TOP that points at itself", () => {
    const kernel = memoryOnlyKernel();
    const page = createShadowStackPage(kernel, 0);
    expect(kernel.physicalMemory.read64(page.frame + 0xff8n)).toBe(SHADOW_STACK_TOP);
    // the rest of the page is empty
    expect(kernel.physicalMemory.read64(page.frame + 0xff0n)).toBe(0n);
  });

  it("gives each CPU its own frame", () => {
    const kernel = memoryOnlyKernel();
    expect(createShadowStackPage(kernel, 0).frame).not.toBe(createShadowStackPage(kernel, 1).frame);
  });

  it("fails with NK-CET-053 when kernel memory is exhausted and NK-CET-054 without kernel page tables", () => {
    const exhausted = memoryOnlyKernel(undefined, [], { frames: false });
    expect(() => createShadowStackPage(exhausted, 3)).toThrow(expect.objectContaining({ code: "NK-CET-053", message: "CPU 3: no kernel memory for its shadow-stack frame" }));
    const withoutTables = memoryOnlyKernel(undefined, [], { pageTables: false });
    expect(() => createShadowStackPage(withoutTables, 0)).toThrow(NovakitError);
    expect(() => createShadowStackPage(withoutTables, 0)).toThrow(expect.objectContaining({ code: "NK-CET-054" }));
  });
});
