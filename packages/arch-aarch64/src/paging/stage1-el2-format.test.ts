import { DEFAULT_ATTRIBUTES, MemoryPermission, NovakitError, PhysicalMemory, RadixPageTable, FrameAllocator, type CacheAttribute, type MemoryAttributes } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { createStage1El2Format } from "./stage1-el2-format.js";

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

describe("VMSAv8-64 stage-1 EL2 format", () => {
  const s1 = createStage1El2Format({ inputBits: 48, outputBits: 44, lpa2: false });
  const vhe = createStage1El2Format({ inputBits: 48, outputBits: 44, lpa2: false, regime: "el2&0" });
  const lpa2 = createStage1El2Format({ inputBits: 52, outputBits: 52, lpa2: true });

  it("describes the 48-bit and the 52-bit LPA2 geometries", () => {
    expect(s1).toMatchObject({ name: "aarch64-s1-el2-48bit", levels: 4, rootEntries: 512, inputBits: 48, outputBits: 44, maxLeafLevel: 2, linearLeafAddress: true });
    expect(lpa2).toMatchObject({ name: "aarch64-s1-el2-52bit-lpa2", levels: 5, rootEntries: 16, maxLeafLevel: 3, linearLeafAddress: false });
    expect(createStage1El2Format({ inputBits: 39, outputBits: 40, lpa2: false })).toMatchObject({ levels: 3, rootEntries: 512 });
    expect(createStage1El2Format({ inputBits: 42, outputBits: 40, lpa2: false })).toMatchObject({ levels: 4, rootEntries: 8 });
    expect(codeOf(() => createStage1El2Format({ inputBits: 52, outputBits: 48, lpa2: false }))).toBe("NK-A64-005");
    expect(codeOf(() => createStage1El2Format({ inputBits: 48, outputBits: 52, lpa2: false }))).toBe("NK-A64-005");
    expect(codeOf(() => createStage1El2Format({ inputBits: 48, outputBits: 45, lpa2: false }))).toBe("NK-A64-005");
  });

  it("encodes descriptor fields bit-exactly (paging.md §3.4)", () => {
    // RW user data WB non-global page: 11 | AttrIndx 7 | AP 01 | SH 11 | AF | nG | XN
    expect(s1.encodeLeaf(0x1234_5000n, 0, R | W, DEFAULT_ATTRIBUTES)).toBe(0x0040_0000_1234_5f5fn);
    // read-only, kernel, global, device (AttrIndx 1), executable 2 MiB block
    const kernelDevice: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache: "DEV", user: false, kernel: true, global: true };
    expect(s1.encodeLeaf(0x20_0000n, 1, R | XS, kernelDevice)).toBe(0x0080_0000_0020_0785n);
    // VHE: PXN (53) when no XS, UXN (54) when no XU
    expect(vhe.encodeLeaf(0x1000n, 0, R | XU, DEFAULT_ATTRIBUTES) >> 53n).toBe(0b01n);
    expect(vhe.encodeLeaf(0x1000n, 0, R | XS, DEFAULT_ATTRIBUTES) >> 53n).toBe(0b10n);
    expect(s1.encodeTable(0x7000n, 3)).toBe(0x7003n);
    expect(s1.encodeLeaf(0x1000n, 0, 0, DEFAULT_ATTRIBUTES)).toBe(0n);
  });

  it("round-trips every permission, cache and level", () => {
    for (const format of [s1, vhe, lpa2]) {
      for (let level = 0; level <= format.maxLeafLevel; level++) {
        const address = level === 3 ? 0x80_0000_0000n : 0x4000_0000n;
        for (const cache of CACHES) {
          for (let permissions = 1; permissions <= 0xf; permissions++) {
            if ((permissions & R) === 0) continue; // stage 1 has no write-only or execute-only pages
            for (const user of [false, true]) {
              const attributes: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache, user, global: !user, kernel: !user };
              const entry = format.encodeLeaf(address, level, permissions, attributes);
              const decoded = format.decode(entry, level);
              const expected = format === s1 || format === lpa2 ? ((permissions & (XU | XS)) !== 0 ? permissions | XU | XS : permissions) : permissions;
              expect(decoded).toEqual({ type: "leaf", address, permissions: expected, attributes });
              expect(format.entryKind?.(entry, level)).toBe(2);
              expect(format.entryAddress?.(entry, level)).toBe(address);
            }
          }
        }
      }
    }
  });

  it("places OA[51:50] in bits 9:8 with LPA2, for tables and leaves", () => {
    const high = 0x000f_ffff_ffff_f000n;
    const table = lpa2.encodeTable(high, 4);
    expect(table).toBe(0x0003_ffff_ffff_f303n);
    expect(lpa2.decode(table, 4)).toEqual({ type: "table", address: high });
    const block = lpa2.encodeLeaf(0x8_0000_0000_0000n, 3, R | W, DEFAULT_ATTRIBUTES);
    expect(lpa2.decode(block, 3)).toMatchObject({ type: "leaf", address: 0x8_0000_0000_0000n });
  });

  it("decodes what the hardware would fault on as holes, and out-of-range addresses as address size faults", () => {
    // bits 1:0 = 01 at level 3 is reserved
    expect(s1.decode(0x1000n | 1n, 0)).toEqual({ type: "hole" });
    // a block at level 0 without DS is a translation fault
    expect(s1.decode(0x80_0000_0000n | 1n, 3)).toEqual({ type: "hole" });
    expect(s1.decode(0x4000_0000n | 0x400n, 1)).toEqual({ type: "hole" });
    expect(codeOf(() => s1.decode(0x8000_0000_0000n | 3n, 2))).toBe("NK-A64-011");
  });

  it("rejects what it cannot encode", () => {
    expect(codeOf(() => s1.encodeLeaf(0x1000n, 1, R, DEFAULT_ATTRIBUTES))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeLeaf(0x80_0000_0000n, 3, R, DEFAULT_ATTRIBUTES))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeLeaf(1n << 44n, 0, R, DEFAULT_ATTRIBUTES))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeLeaf(0x1000n, 0, R, { ...DEFAULT_ATTRIBUTES, cache: "WP" }))).toBe("NK-A64-004");
    expect(codeOf(() => s1.encodeLeaf(0x1000n, 0, R, { ...DEFAULT_ATTRIBUTES, keyId: 1 }))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeLeaf(0x1000n, 0, R, { ...DEFAULT_ATTRIBUTES, shadowStack: true }))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeTable(0x1000n, 0))).toBe("NK-A64-003");
    expect(codeOf(() => s1.encodeTable(0x1008n, 1))).toBe("NK-A64-003");
  });

  it("restricts through APTable / XNTable on the walk", () => {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x10_0000n }]);
    const table = new RadixPageTable(s1, allocator, memory);
    expect(table.map(0x4000_0000n, 0x8000_0000n, 0, R | W | XU | XS, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(0x4000_0000n)?.permissions).toBe(R | W | XU | XS);
    // set APTable[1] (read-only) and XNTable in the level-0 (Arm) entry
    const slot = table.rootAddress + 0n;
    memory.write64(slot, memory.read64(slot) | (1n << 62n) | (1n << 60n));
    const fresh = new RadixPageTable(s1, allocator, memory, { rootAddress: table.rootAddress });
    expect(fresh.lookup(0x4000_0000n)?.permissions).toBe(R);
  });

  it("maps and unmaps 1 GiB and 2 MiB blocks through the engine", () => {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x10_0000n }]);
    const table = new RadixPageTable(s1, allocator, memory);
    expect(table.map(0x4000_0000n, 0x4000_0000n, 18, R | W, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.lookup(0x4123_4567n)).toMatchObject({ outputAddress: 0x4123_4567n, order: 18 });
    expect(table.unmap(0x4020_0000n, 9).ok).toBe(true);
    expect(table.lookup(0x4020_0000n)).toBeUndefined();
    expect(table.lookup(0x4040_0000n)).toMatchObject({ outputAddress: 0x4040_0000n, order: 9 });
  });
});
