import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable, type CacheAttribute } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { createEptFormat, eptPointer } from "./ept-format.js";

const { R, W, XU, XS } = MemoryPermission;
const ept = createEptFormat({ levels: 4, physicalAddressBits: 46, has1GbPages: true });
const guest = { ...DEFAULT_ATTRIBUTES, user: true };

describe("Intel EPT format (NOVA Ept)", () => {
  it("encodes tables R|W|XS|XU and leaves with the memory type at 5:3 and bit 7 when large", () => {
    expect(ept.name).toBe("x86_64-ept-4level");
    expect(ept.encodeTable(0x6000n, 3)).toBe(0x6407n);
    expect(ept.encodeLeaf(0x8000_0000n, 1, R | W | XS, guest)).toBe(0x8000_00b7n);
    expect(ept.encodeLeaf(0x1000n, 0, R | XU, { ...guest, cache: "UC" })).toBe(0x1401n);
    const types: CacheAttribute[] = ["UC", "WC", "WT", "WP", "WB"];
    expect(types.map((cache) => Number((ept.encodeLeaf(0n, 0, R, { ...guest, cache }) >> 3n) & 7n))).toEqual([0, 1, 4, 5, 6]);
  });

  it("without MBEC one execute permission sets both X bits", () => {
    const legacy = createEptFormat({ levels: 4, physicalAddressBits: 46, has1GbPages: true, mbec: false });
    expect(legacy.encodeLeaf(0x1000n, 0, R | XU, guest) & 0x404n).toBe(0x404n);
    expect(legacy.decode(0x1005n | (6n << 3n), 0)).toMatchObject({ permissions: R | XU | XS });
  });

  it("round-trips leaves at every level", () => {
    for (let level = 0; level <= 2; level++) {
      const address = 0x3_c000_0000n + (0x20_1000n & ~((1n << BigInt(12 + 9 * level)) - 1n));
      for (let permissions = 1; permissions <= 0xf; permissions++) {
        for (const cache of ["WB", "WT", "WC", "UC", "WP"] as const) {
          const attributes = { ...guest, cache, keyId: 0 };
          expect(ept.decode(ept.encodeLeaf(address, level, permissions, attributes), level)).toEqual({
            type: "leaf",
            address,
            permissions,
            attributes,
          });
        }
      }
    }
    expect(ept.decode(0x5000n, 1)).toEqual({ type: "hole" });
  });

  it("walks the worked example of paging.md §2.7 (2 MiB leaf)", () => {
    expect(eptPointer(0x5000n, 4, true)).toBe(0x505en);
    const memory = new PhysicalMemory();
    memory.write64(0x5000n, ept.encodeTable(0x6000n, 3));
    memory.write64(0x6020n, ept.encodeTable(0x7000n, 2));
    memory.write64(0x78d0n, 0x8000_00b7n);
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x1_0000n }]);
    const walker = new RadixPageTable(ept, allocator, memory, { rootAddress: 0x5000n });
    expect(walker.lookup(0x1_2345_6789n)).toEqual({
      outputAddress: 0x8005_6789n,
      permissions: R | W | XS,
      attributes: guest,
      order: 9,
    });
    // the same table built by the engine holds the same leaf word
    const built = new RadixPageTable(ept, allocator, memory);
    built.map(0x1_2340_0000n, 0x8000_0000n, 9, R | W | XS, guest);
    const dump = built.dump();
    // root (PML4), PDPT, PD: the 2 MiB leaf sits in the third table
    expect(dump.length).toBe(3 * 4096);
    const pd = dump.subarray(2 * 4096, 3 * 4096);
    expect(new DataView(pd.buffer, pd.byteOffset + 282 * 8, 8).getBigUint64(0, true)).toBe(0x8000_00b7n);
  });
});
