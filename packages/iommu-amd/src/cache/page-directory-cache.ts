import type { DmaAddressRange } from "../command/invalidation-range.js";
import { DomainTaggedCache } from "./domain-tagged-cache.js";

/** A cached page-directory entry: where the level-`level` table for one address prefix lives. */
export interface DirectoryEntry {
  /** AMD level (1-based) of the table the PDE points to */
  readonly level: number;
  /** physical address of that table */
  readonly table: bigint;
  /** IR / IW ANDed over the PDEs above the table (the DTE's are ANDed at use: they belong to the device) */
  readonly read: boolean;
  readonly write: boolean;
}

/**
 * The cache of non-leaf entries (reference/amd-iommu.md §5.3: INVALIDATE_IOMMU_PAGES with PDE=1
 * "also invalidates cached page-directory entries"; PDE=0 only leaf translations). A walk that
 * misses the IOTLB starts from the deepest cached table covering the address instead of the root,
 * so a PDE rewritten in memory and flushed with PDE=0 keeps steering walks to the old table, as on
 * hardware that caches PDEs.
 *
 * Keyed per DomainID by a number: the table's level L (1-5) and the address prefix above the bits
 * it indexes (page >> 9L, below 2^43), packed as prefix * 8 + L (below 2^46: exact in a double).
 * Bounded like the IOTLB (DomainTaggedCache).
 */
export class PageDirectoryCache {
  private readonly entries: DomainTaggedCache<DirectoryEntry>;

  constructor(readonly capacity: number) {
    this.entries = new DomainTaggedCache(capacity);
  }

  get size(): number {
    return this.entries.size;
  }

  /** the deepest cached table (lowest level, 1 .. mode-1) that covers `page` in the domain */
  deepest(domainId: number, page: number, mode: number): DirectoryEntry | undefined {
    const entries = this.entries.entriesOf(domainId);
    if (entries === undefined) return undefined;
    for (let level = 1; level < mode; level++) {
      const entry = entries.get(key(level, page));
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  insert(domainId: number, page: number, entry: DirectoryEntry): void {
    this.entries.insert(domainId, key(entry.level, page), entry);
  }

  /** Drop the domain's PDEs whose tables cover any address of `range` (INVALIDATE_IOMMU_PAGES, PDE=1). */
  invalidateRange(domainId: number, range: DmaAddressRange): number {
    return this.entries.dropWhere(domainId, (at, entry) => {
      const prefix = BigInt(Math.floor(at / 8));
      const shift = BigInt(12 + 9 * entry.level);
      return prefix << shift <= range.last && ((prefix + 1n) << shift) - 1n >= range.first;
    });
  }

  /** INVALIDATE_IOMMU_ALL (§5.3). */
  invalidateAll(): void {
    this.entries.clear();
  }
}

function key(level: number, page: number): number {
  return Math.floor(page / 2 ** (9 * level)) * 8 + level;
}
