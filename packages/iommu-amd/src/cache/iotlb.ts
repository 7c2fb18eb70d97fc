import type { DmaAddressRange } from "../command/invalidation-range.js";

/** One cached translation of a 4 KiB DMA page. */
export interface IotlbEntry {
  /** physical address of the 4 KiB frame the page maps to (a slice of a larger page for large leaves) */
  readonly frame: bigint;
  /** IR ANDed over every page-table level (the DTE's IR is ANDed at lookup: it belongs to the device) */
  readonly read: boolean;
  /** IW ANDed over every page-table level */
  readonly write: boolean;
}

/**
 * The IOMMU's translation cache, tagged by DomainID as hardware tags it (reference/amd-iommu.md
 * §3.2, §10.10): INVALIDATE_IOMMU_PAGES matches by DomainID and address range, not by DeviceID,
 * and nothing else removes an entry, so a page-table change without that command keeps the old
 * translation in use. Keys are numbers (DomainID, then the 52-bit page number), no strings, so a
 * hit costs two Map lookups.
 *
 * Entries are per 4 KiB page: a large leaf is cached slice by slice, so an invalidation that covers
 * only part of a large page leaves the other slices cached (hardware would drop the whole entry);
 * software that invalidates the ranges it changed, as Linux and NOVA do, sees no difference.
 *
 * Bounded: when `capacity` entries are cached the next insertion first drops everything, QEMU's
 * policy (§9.1: the whole IOTLB is flushed at 1024 entries): simple and deterministic.
 */
export class Iotlb {
  private readonly domains = new Map<number, Map<number, IotlbEntry>>();
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  lookup(domainId: number, page: number): IotlbEntry | undefined {
    return this.domains.get(domainId)?.get(page);
  }

  insert(domainId: number, page: number, entry: IotlbEntry): void {
    let pages = this.domains.get(domainId);
    if (pages?.has(page) !== true && this.count >= this.capacity) {
      this.invalidateAll();
      pages = undefined;
    }
    if (pages === undefined) {
      pages = new Map();
      this.domains.set(domainId, pages);
    }
    if (!pages.has(page)) this.count += 1;
    pages.set(page, entry);
  }

  /** Drop the domain's pages inside `range` (INVALIDATE_IOMMU_PAGES, §5.3). Returns how many were dropped. */
  invalidateRange(domainId: number, range: DmaAddressRange): number {
    const pages = this.domains.get(domainId);
    if (pages === undefined) return 0;
    const firstPage = Number(range.first >> 12n);
    const lastPage = Number(range.last >> 12n);
    let dropped = 0;
    if (firstPage === 0 && lastPage >= Number((1n << 52n) - 1n)) {
      dropped = pages.size;
      this.domains.delete(domainId);
    } else {
      for (const page of pages.keys()) {
        if (page >= firstPage && page <= lastPage) {
          pages.delete(page);
          dropped += 1;
        }
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
