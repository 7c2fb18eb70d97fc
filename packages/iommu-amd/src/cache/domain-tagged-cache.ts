/**
 * The storage both IOMMU caches share: entries tagged by DomainID (reference/amd-iommu.md §3.2,
 * §10.10: invalidations match by DomainID, not by DeviceID), keyed within a domain by a number
 * (no strings: a hit costs two Map lookups), and bounded: at `capacity` entries the next new one
 * first drops everything, QEMU's policy (§9.1) — simple and deterministic.
 */
export class DomainTaggedCache<Entry> {
  private readonly domains = new Map<number, Map<number, Entry>>();
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  get(domainId: number, key: number): Entry | undefined {
    return this.domains.get(domainId)?.get(key);
  }

  /** the domain's entries, for range invalidations (undefined when it has none) */
  entriesOf(domainId: number): ReadonlyMap<number, Entry> | undefined {
    return this.domains.get(domainId);
  }

  insert(domainId: number, key: number, entry: Entry): void {
    let entries = this.domains.get(domainId);
    if (entries?.has(key) !== true && this.count >= this.capacity) {
      this.clear();
      entries = undefined;
    }
    if (entries === undefined) {
      entries = new Map();
      this.domains.set(domainId, entries);
    }
    if (!entries.has(key)) this.count += 1;
    entries.set(key, entry);
  }

  /** Drop the domain's entries `drop` selects; returns how many. */
  dropWhere(domainId: number, drop: (key: number, entry: Entry) => boolean): number {
    const entries = this.domains.get(domainId);
    if (entries === undefined) return 0;
    let dropped = 0;
    for (const [key, entry] of entries) {
      if (drop(key, entry)) {
        entries.delete(key);
        dropped += 1;
      }
    }
    this.count -= dropped;
    return dropped;
  }

  /** Drop every entry of the domain; returns how many. */
  dropDomain(domainId: number): number {
    const dropped = this.domains.get(domainId)?.size ?? 0;
    this.domains.delete(domainId);
    this.count -= dropped;
    return dropped;
  }

  clear(): void {
    this.domains.clear();
    this.count = 0;
  }
}
