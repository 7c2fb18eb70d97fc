import { describe, expect, it } from "vitest";
import { NOVA_DENY_DTE } from "../device-table/device-table-entry.js";
import { DeviceTableCache } from "./device-table-cache.js";
import { snapshotDte } from "./dte-snapshot.js";
import { Iotlb } from "./iotlb.js";
import { PageDirectoryCache } from "./page-directory-cache.js";

const entry = (frame: bigint) => ({ frame, read: true, write: false });

describe("Iotlb", () => {
  it("is keyed by (DomainID, page): the same page of another domain is another entry", () => {
    const iotlb = new Iotlb(8);
    iotlb.insert(1, 0x100, entry(0x1000n));
    iotlb.insert(2, 0x100, entry(0x2000n));
    expect(iotlb.lookup(1, 0x100)?.frame).toBe(0x1000n);
    expect(iotlb.lookup(2, 0x100)?.frame).toBe(0x2000n);
    expect(iotlb.lookup(1, 0x101)).toBeUndefined();
    expect(iotlb.size).toBe(2);
  });

  it("drops only the domain's pages inside an inclusive range, or the whole domain", () => {
    const iotlb = new Iotlb(16);
    for (const page of [0x10, 0x11, 0x12, 0x13]) iotlb.insert(1, page, entry(BigInt(page) << 12n));
    iotlb.insert(2, 0x11, entry(0n));
    expect(iotlb.invalidateRange(1, { first: 0x11000n, last: 0x12fffn })).toBe(2);
    expect([0x10, 0x11, 0x12, 0x13].map((page) => iotlb.lookup(1, page) !== undefined)).toEqual([true, false, false, true]);
    expect(iotlb.lookup(2, 0x11)).toBeDefined();
    expect(iotlb.invalidateRange(1, { first: 0n, last: (1n << 64n) - 1n })).toBe(2);
    expect(iotlb.size).toBe(1);
    iotlb.invalidateAll();
    expect(iotlb.size).toBe(0);
  });

  it("pages above 2^32 are distinct keys (no truncation)", () => {
    const iotlb = new Iotlb(4);
    const high = 2 ** 51 + 1;
    iotlb.insert(0, high, entry(1n << 12n));
    expect(iotlb.lookup(0, high)).toBeDefined();
    expect(iotlb.lookup(0, 1)).toBeUndefined();
    expect(iotlb.invalidateRange(0, { first: BigInt(high) << 12n, last: (BigInt(high) << 12n) + 0xfffn })).toBe(1);
  });

  it("drops everything when a new page would exceed the capacity; refreshing a cached page does not", () => {
    const iotlb = new Iotlb(2);
    iotlb.insert(1, 1, entry(1n));
    iotlb.insert(1, 2, entry(2n));
    iotlb.insert(1, 2, entry(3n));
    expect(iotlb.size).toBe(2);
    iotlb.insert(3, 9, entry(9n));
    expect(iotlb.size).toBe(1);
    expect(iotlb.lookup(1, 1)).toBeUndefined();
    expect(iotlb.lookup(3, 9)?.frame).toBe(9n);
  });
});

describe("DeviceTableCache and DTE snapshots", () => {
  it("decodes the DMA fields once (amd-iommu.md §3.1, §3.2)", () => {
    const assigned = snapshotDte([0x6000_0000_0010_0603n, 0x42n | (1n << 39n) | (1n << 34n), 0n, 0n], 6);
    expect(assigned).toMatchObject({ valid: true, translating: true, mode: 3, domainId: 0x42, read: true, write: true, exclusion: true, suppressFaults: true });
    expect(snapshotDte(NOVA_DENY_DTE, 6)).toMatchObject({ valid: true, translating: false });
    expect(snapshotDte([0x6000_0000_0010_0603n, 0n, 0n, 0n], 2)).toMatchObject({ translating: false }); // Mode 3 > 2 levels
    expect(snapshotDte([0x6000_0000_0010_0607n, 0n, 0n, 0n], 6)).toMatchObject({ translating: false }); // reserved bit 2
  });

  it("keeps an entry until it is invalidated, and is bounded", () => {
    const cache = new DeviceTableCache(2);
    const deny = snapshotDte(NOVA_DENY_DTE, 6);
    cache.insert(1, deny);
    cache.insert(2, deny);
    expect(cache.lookup(1)).toBe(deny);
    expect(cache.invalidate(1)).toBe(true);
    expect(cache.invalidate(1)).toBe(false);
    cache.insert(3, deny);
    cache.insert(4, deny);
    expect(cache.size).toBe(1);
    cache.invalidateAll();
    expect(cache.lookup(4)).toBeUndefined();
  });
});

describe("PageDirectoryCache", () => {
  it("finds the deepest cached table covering a page, per domain", () => {
    const cache = new PageDirectoryCache(8);
    const page = 0x12_3456_7; // IOVA 0x12_3456_7000
    cache.insert(1, page, { level: 2, table: 0x10_1000n, read: true, write: true });
    expect(cache.deepest(1, page, 3)).toMatchObject({ level: 2 });
    cache.insert(1, page, { level: 1, table: 0x10_2000n, read: true, write: false });
    expect(cache.deepest(1, page, 3)).toMatchObject({ level: 1, table: 0x10_2000n });
    expect(cache.deepest(1, page + 1, 3)).toMatchObject({ level: 1 }); // same level-1 table
    expect(cache.deepest(1, page + 0x200, 3)).toMatchObject({ level: 2 }); // another level-1 table, same level-2 table
    expect(cache.deepest(1, page + 0x40000, 3)).toBeUndefined();
    expect(cache.deepest(2, page, 3)).toBeUndefined();
    expect(cache.deepest(1, page, 2)).toMatchObject({ level: 1 });
    expect(cache.deepest(1, page, 1)).toBeUndefined(); // a Mode-1 walk starts at its root
  });

  it("drops the tables whose address span overlaps an invalidated range", () => {
    const cache = new PageDirectoryCache(8);
    const page = 0x12_3456_7;
    cache.insert(1, page, { level: 2, table: 0x10_1000n, read: true, write: true }); // spans 1 GiB
    cache.insert(1, page, { level: 1, table: 0x10_2000n, read: true, write: true }); // spans 2 MiB
    // a page in the same 1 GiB but another 2 MiB: only the level-2 table covers it
    expect(cache.invalidateRange(1, { first: 0x12_0000_0000n, last: 0x12_0000_0fffn })).toBe(1);
    expect(cache.deepest(1, page, 3)).toMatchObject({ level: 1 });
    expect(cache.invalidateRange(1, { first: 0x12_3456_7000n, last: 0x12_3456_7fffn })).toBe(1);
    expect(cache.size).toBe(0);
  });
});
