import type { DmaAddressRange } from "../command/invalidation-range.js";
import { DomainTaggedCache } from "./domain-tagged-cache.js";

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
 * Bounded as DomainTaggedCache is (QEMU flushes its whole IOTLB at 1024 entries, §9.1).
 */
export class Iotlb {
  private readonly pages: DomainTaggedCache<IotlbEntry>;

  constructor(readonly capacity: number) {
    this.pages = new DomainTaggedCache(capacity);
  }

  get size(): number {
    return this.pages.size;
  }

  lookup(domainId: number, page: number): IotlbEntry | undefined {
    return this.pages.get(domainId, page);
  }

  insert(domainId: number, page: number, entry: IotlbEntry): void {
    this.pages.insert(domainId, page, entry);
  }

  /** Drop the domain's pages inside `range` (INVALIDATE_IOMMU_PAGES, §5.3). Returns how many were dropped. */
  invalidateRange(domainId: number, range: DmaAddressRange): number {
    const firstPage = Number(range.first >> 12n);
    const lastPage = Number(range.last >> 12n);
    if (firstPage === 0 && lastPage >= Number((1n << 52n) - 1n)) return this.pages.dropDomain(domainId);
    return this.pages.dropWhere(domainId, (page) => page >= firstPage && page <= lastPage);
  }

  /** INVALIDATE_IOMMU_ALL (§5.3). */
  invalidateAll(): void {
    this.pages.clear();
  }
}
