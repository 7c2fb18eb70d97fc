import {
  DEFAULT_ATTRIBUTES,
  FrameAllocator,
  MemoryPermission,
  NovakitError,
  PhysicalMemory,
  RadixPageTable,
  type CacheAttribute,
  type MemoryAttributes,
} from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { createHostPageTableFormat } from "./host-page-table-format.js";
import { NOVA_IA32_PAT, cacheOfPatIndex, patIndexOf } from "./x86-cache-attribute.js";

const { R, W, XU, XS } = MemoryPermission;
const hpt4 = createHostPageTableFormat({ levels: 4, physicalAddressBits: 46, has1GbPages: true });

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NovakitError ? error.code : "not a NovakitError";
  }
  return undefined;
}

/** A walker attached to tables written by hand at `root` (frames outside the allocator's RAM). */
function walkerOver(memory: PhysicalMemory, root: bigint) {
  const allocator = new FrameAllocator([{ base: 0x1000_0000n, size: 0x10_0000n }]);
  return new RadixPageTable(hpt4, allocator, memory, { rootAddress: root });
}

describe("x86_64 host page-table format (NOVA Hpt)", () => {
  it("describes 4- and 5-level paging", () => {
    expect(hpt4).toMatchObject({ name: "x86_64-hpt-4level", levels: 4, inputBits: 48, outputBits: 46, maxLeafLevel: 2 });
    const la57 = createHostPageTableFormat({ levels: 5, physicalAddressBits: 52, keyIdBits: 6, has1GbPages: false });
    expect(la57).toMatchObject({ name: "x86_64-hpt-5level", levels: 5, inputBits: 57, outputBits: 46, maxLeafLevel: 1 });
    expect(codeOf(() => createHostPageTableFormat({ levels: 3 as 4, physicalAddressBits: 46, has1GbPages: true }))).toBe(
      "NK-MEM-010",
    );
    expect(codeOf(() => createHostPageTableFormat({ levels: 4, physicalAddressBits: 53, has1GbPages: true }))).toBe("NK-MEM-010");
  });

  it("encodes table pointers as P|RW|US|A", () => {
    expect(hpt4.encodeTable(0x3000n, 3)).toBe(0x3027n);
    expect(hpt4.decode(0x3027n, 2)).toEqual({ type: "table", address: 0x3000n });
    expect(codeOf(() => hpt4.encodeTable(0x3000n, 0))).toBe("NK-MEM-012");
    expect(codeOf(() => hpt4.encodeTable(0x3008n, 1))).toBe("NK-MEM-012");
  });

  it("encodes leaves bit-exactly (paging.md §2.4, NOVA page_attr)", () => {
    // writable user data, WB: P RW US A D NX
    expect(hpt4.encodeLeaf(0xabc000n, 0, R | W, DEFAULT_ATTRIBUTES)).toBe(0x8000_0000_00ab_c067n);
    // read-only supervisor code, global, kernel: P A G K, no NX, no D
    const kernelCode: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, user: false, global: true, kernel: true };
    expect(hpt4.encodeLeaf(0x20_0000n, 1, R | XS, kernelCode)).toBe(0x20_0000n | 0x1n | 0x20n | 0x100n | 0x200n | 0x80n);
    // execute for users alone still clears NX (one X bit on x86)
    expect(hpt4.encodeLeaf(0x1000n, 0, R | XU, DEFAULT_ATTRIBUTES) & (1n << 63n)).toBe(0n);
    // shadow stack: W=0, D=1
    const shadow = hpt4.encodeLeaf(0x5000n, 0, R, { ...DEFAULT_ATTRIBUTES, shadowStack: true });
    expect(shadow & 0x42n).toBe(0x40n);
    // no permission at all: a hole
    expect(hpt4.encodeLeaf(0x5000n, 0, 0, DEFAULT_ATTRIBUTES)).toBe(0n);
  });

  it("places the PAT index bit 2 at bit 7 (4 KiB) or bit 12 (large), PCD/PWT at 4:3", () => {
    const wp: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache: "WP" };
    expect(hpt4.encodeLeaf(0x2000n, 0, R, wp) & 0x1098n).toBe(0x80n);
    expect(hpt4.encodeLeaf(0x4000_0000n, 2, R, wp) & 0x1098n).toBe(0x1080n);
    const uc: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache: "UC" };
    expect(hpt4.encodeLeaf(0x1000n, 0, R, uc) & 0x98n).toBe(0x18n);
    expect(hpt4.encodeLeaf(0x20_0000n, 1, R, { ...DEFAULT_ATTRIBUTES, cache: "WT" }) & 0x1018n).toBe(0x08n);
    expect(hpt4.encodeLeaf(0x20_0000n, 1, R, { ...DEFAULT_ATTRIBUTES, cache: "WC" }) & 0x1018n).toBe(0x10n);
  });

  it("uses NOVA's PAT programming: index 0 WB, 1 WT, 2 WC, 3 UC, 4 WP", () => {
    expect(NOVA_IA32_PAT).toBe(0x0000_0005_0001_0406n);
    const caches: CacheAttribute[] = ["WB", "WT", "WC", "UC", "WP"];
    expect(caches.map(patIndexOf)).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(cacheOfPatIndex)).toEqual(["WB", "WT", "WC", "UC", "WP", "UC", "UC", "UC"]);
  });

  it("places the key id at bit obits and rejects key ids that do not fit", () => {
    const tme = createHostPageTableFormat({ levels: 4, physicalAddressBits: 46, keyIdBits: 6, has1GbPages: true });
    const entry = tme.encodeLeaf(0x1000n, 0, R, { ...DEFAULT_ATTRIBUTES, keyId: 0x2b });
    expect((entry >> 40n) & 0x3fn).toBe(0x2bn);
    expect(tme.decode(entry, 0)).toMatchObject({ type: "leaf", address: 0x1000n, attributes: { keyId: 0x2b } });
    expect(codeOf(() => tme.encodeLeaf(0x1000n, 0, R, { ...DEFAULT_ATTRIBUTES, keyId: 64 }))).toBe("NK-MEM-012");
    expect(codeOf(() => tme.encodeLeaf(1n << 40n, 0, R, DEFAULT_ATTRIBUTES))).toBe("NK-MEM-012");
  });

  it("round-trips every leaf level, permission set and attribute combination", () => {
    const tme = createHostPageTableFormat({ levels: 5, physicalAddressBits: 52, keyIdBits: 4, has1GbPages: true });
    const caches: CacheAttribute[] = ["WB", "WT", "WC", "UC", "WP"];
    for (let level = 0; level <= 2; level++) {
      const address = 0x7_c000_0000n + (0x20_1000n & ~((1n << BigInt(12 + 9 * level)) - 1n));
      for (let permissions = 1; permissions <= 0xf; permissions++) {
        for (const cache of caches) {
          for (let flags = 0; flags < 16; flags++) {
            const attributes: MemoryAttributes = {
              cache,
              keyId: flags ^ 5,
              user: (flags & 1) !== 0,
              kernel: (flags & 2) !== 0,
              global: (flags & 4) !== 0,
              shadowStack: (flags & 8) !== 0 && (permissions & W) === 0,
            };
            const entry = tme.encodeLeaf(address, level, permissions, attributes);
            // x86 reads every present page and has one X bit
            const expected = R | (permissions & W) | ((permissions & (XU | XS)) !== 0 ? XU | XS : 0);
            expect(tme.decode(entry, level)).toEqual({ type: "leaf", address, permissions: expected, attributes });
          }
        }
      }
    }
  });

  it("treats PS in a PML4E, PS at level 2 without 1 GiB pages and reserved bits as faults", () => {
    expect(codeOf(() => hpt4.decode(0x83n, 3))).toBe("NK-MEM-011");
    const small = createHostPageTableFormat({ levels: 4, physicalAddressBits: 46, has1GbPages: false });
    expect(codeOf(() => small.decode(0x4000_0083n, 2))).toBe("NK-MEM-011");
    expect(codeOf(() => small.encodeLeaf(0x4000_0000n, 2, R, DEFAULT_ATTRIBUTES))).toBe("NK-MEM-012");
    expect(codeOf(() => hpt4.decode((1n << 47n) | 0x1003n, 1))).toBe("NK-MEM-011");
    expect(codeOf(() => hpt4.decode(0x20_2083n, 1))).toBe("NK-MEM-011");
    expect(hpt4.decode(0x1002n, 1)).toEqual({ type: "hole" });
  });

  it("walks the 4-level worked example of paging.md §2.5", () => {
    const memory = new PhysicalMemory();
    memory.write64(0x17f0n, 0x2003n);
    memory.write64(0x2240n, 0x3007n);
    memory.write64(0x3d10n, 0x4067n);
    memory.write64(0x4b38n, 0x8000_0000_00ab_c063n);
    const walker = walkerOver(memory, 0x1000n);
    expect(walker.lookup(0x0000_7f12_3456_789an)).toEqual({
      outputAddress: 0x00ab_c89an,
      permissions: R | W,
      attributes: { ...DEFAULT_ATTRIBUTES, user: false },
      order: 0,
    });
    // 2 MiB variant: PDE = P RW PS
    memory.write64(0x3d10n, 0x4000_0083n);
    expect(walker.lookup(0x0000_7f12_3456_789an)).toMatchObject({ outputAddress: 0x4016_789an, order: 9, permissions: R | W | XU | XS });
    // 1 GiB variant: a PDPTE with PS supplies bits M-1:30
    memory.write64(0x2240n, 0x4000_0083n);
    expect(walker.lookup(0x0000_7f12_3456_789an)).toMatchObject({ outputAddress: 0x4000_0000n + 0x3456_789an, order: 18 });
  });

  it("combines permissions along the walk: R/W and U/S AND-ed, XD OR-ed", () => {
    const memory = new PhysicalMemory();
    // PML4E without RW and US; PDPTE with XD; the leaf grants everything
    memory.write64(0x1000n, 0x2025n & ~0x6n | 0x1n);
    memory.write64(0x2000n, 0x8000_0000_0000_3027n);
    memory.write64(0x3000n, 0x4027n);
    memory.write64(0x4000n, 0x5067n);
    const walker = walkerOver(memory, 0x1000n);
    expect(walker.lookup(0x10n)).toEqual({ outputAddress: 0x5010n, permissions: R, attributes: { ...DEFAULT_ATTRIBUTES, user: false }, order: 0 });
    memory.write64(0x1000n, 0x2027n);
    memory.write64(0x2000n, 0x3027n);
    expect(walker.lookup(0x10n)).toEqual({ outputAddress: 0x5010n, permissions: R | W | XU | XS, attributes: DEFAULT_ATTRIBUTES, order: 0 });
  });

  it("maps through the engine and writes the entries NOVA would write", () => {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x10_0000n, size: 0x10_0000n }]);
    const table = new RadixPageTable(hpt4, allocator, memory);
    // the kernel half: VA 0xFFFF_8000_1234_5678 is table input 0x8000_1234_5678
    table.map(0x8000_1234_5000n, 0x77_7000n, 0, R | W, { ...DEFAULT_ATTRIBUTES, user: false, global: true });
    let tableAddress = table.rootAddress;
    const indices = [256n, 0n, 145n];
    for (const index of indices) {
      const entry = memory.read64(tableAddress + index * 8n);
      expect(entry & 0xfffn).toBe(0x027n);
      tableAddress = entry & ~0xfffn;
    }
    expect(memory.read64(tableAddress + 325n * 8n)).toBe(0x8000_0000_0077_7163n);
    expect(table.lookup(0x8000_1234_5678n)?.outputAddress).toBe(0x77_7678n);
    // a 2 MiB leaf remapped in part is splintered into PS-less 4 KiB leaves keeping the PAT
    table.map(0x4000_0000n, 0x20_0000n, 9, R, { ...DEFAULT_ATTRIBUTES, cache: "WP" });
    table.map(0x4000_1000n, 0x9000n, 0, R | W, DEFAULT_ATTRIBUTES);
    expect(table.lookup(0x4000_2000n)).toMatchObject({ outputAddress: 0x20_2000n, order: 0, attributes: { cache: "WP" } });
    expect(table.leaves(0x4000_0000n, 9)).toHaveLength(512);
  });
});
