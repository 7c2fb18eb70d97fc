import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { createHostPageTableFormat } from "./host-page-table-format.js";

/**
 * The radix engine caches what it learnt about table pages to walk fast (numbers instead of
 * BigInt below 2^53, per-page walker records). These tests aim at the places such a cache
 * could go wrong: input addresses at and above 2^53, and a freed table page coming back as a
 * table of another level or as a different subtree.
 */
const RW = MemoryPermission.R | MemoryPermission.W;
const format = createHostPageTableFormat({ levels: 5, physicalAddressBits: 48, has1GbPages: true });

function freshTable(): { table: RadixPageTable; frames: FrameAllocator } {
  const frames = new FrameAllocator([{ base: 0x100_0000n, size: 0x40_0000n }]);
  return { table: new RadixPageTable(format, frames, new PhysicalMemory()), frames };
}

describe("radix engine fast paths (x86_64 5-level host format)", () => {
  it("maps and translates input addresses around 2^53 and up to the top of the 57-bit space", () => {
    const { table } = freshTable();
    const inputs = [(1n << 53n) - 0x1000n, 1n << 53n, (1n << 53n) + 0x1000n, (1n << 56n) + 0x7000n, (1n << 57n) - 0x1000n];
    inputs.forEach((input, index) => {
      expect(table.map(input, BigInt(index + 1) << 12n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    });
    inputs.forEach((input, index) => {
      expect(table.lookup(input + 0x123n)?.outputAddress).toBe((BigInt(index + 1) << 12n) + 0x123n);
    });
    // neighbours of each mapped page stay unmapped
    for (const input of inputs) expect(table.lookup(input ^ 0x2000n)).toBeUndefined();
    expect(table.map(1n << 57n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
  });

  it("translates correctly after a freed table page is reused elsewhere in the tree", () => {
    const { table } = freshTable();
    const a = 0x0000_1234_0000_0000n;
    const b = 0x00ab_0000_4000_0000n;
    expect(table.map(a, 0x5000n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(a)?.outputAddress).toBe(0x5000n); // the walker has now seen a's tables
    // tear a's subtree down and give its pages back to the allocator
    expect(table.unmap(a, 27).ok).toBe(true);
    expect(table.releaseWaitlisted()).toBeGreaterThan(0);
    expect(table.lookup(a)).toBeUndefined();
    // the same frames now become b's tables (lowest free first), at other indices
    expect(table.map(b, 0x9000n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(b + 0x10n)?.outputAddress).toBe(0x9010n);
    expect(table.lookup(a)).toBeUndefined();
    // and a's range mapped again with a 2 MiB leaf reads the new entry, not a remembered one
    expect(table.map(a, 0x20_0000n, 9, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(a + 0x1_2345n)).toMatchObject({ outputAddress: 0x21_2345n, order: 9 });
    expect(table.lookup(b)?.outputAddress).toBe(0x9000n);
  });

  it("sees a remap of the same page at once (leaf replaced by exchange)", () => {
    const { table } = freshTable();
    const va = 0x0000_7000_0000_0000n;
    expect(table.map(va, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(va)?.permissions).toBe(RW);
    expect(table.map(va, 0x3000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(va)).toMatchObject({ outputAddress: 0x3000n, permissions: MemoryPermission.R });
  });
});
