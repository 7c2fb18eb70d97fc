import type { DmaAddressRange } from "../command/invalidation-range.js";

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
 * Bounded like the IOTLB: at `capacity` entries the next insertion drops everything.
 */
export class PageDirectoryCache {
  private readonly domains = new Map<number, Map<number, DirectoryEntry>>();
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** the deepest cached table (lowest level, 1 .. mode-1) that covers `page` in the domain */
  deepest(domainId: number, page: number, mode: number): DirectoryEntry | undefined {
    const entries = this.domains.get(domainId);
    if (entries === undefined) return undefined;
    for (let level = 1; level < mode; level++) {
      const entry = entries.get(key(level, page));
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  insert(domainId: number, page: number, entry: DirectoryEntry): void {
    let entries = this.domains.get(domainId);
    const at = key(entry.level, page);
    if (entries?.has(at) !== true && this.count >= this.capacity) {
      this.invalidateAll();
      entries = undefined;
    }
    if (entries === undefined) {
      entries = new Map();
      this.domains.set(domainId, entries);
    }
    if (!entries.has(at)) this.count += 1;
    entries.set(at, entry);
  }

  /** Drop the domain's PDEs whose tables cover any address of `range` (INVALIDATE_IOMMU_PAGES, PDE=1). */
  invalidateRange(domainId: number, range: DmaAddressRange): number {
    const entries = this.domains.get(domainId);
    if (entries === undefined) return 0;
    let dropped = 0;
    for (const [at, entry] of entries) {
      const prefix = BigInt(Math.floor(at / 8));
      const shift = BigInt(12 + 9 * entry.level);
      const first = prefix << shift;
      const last = ((prefix + 1n) << shift) - 1n;
      if (first <= range.last && last >= range.first) {
        entries.delete(at);
        dropped += 1;
      }
    }
    this.count -= dropped;
    return dropped;
  }

  /** INVALIDATE_IOMMU_ALL (§5.3). */
  invalidateAll(): void {
    this.domains.clear();
    this.count = 0;
  }
}

function key(level: number, page: number): number {
  return Math.floor(page / 2 ** (9 * level)) * 8 + level;
}
