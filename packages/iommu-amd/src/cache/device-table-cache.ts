import type { DteSnapshot } from "./dte-snapshot.js";

/**
 * The IOMMU's cache of device table entries, keyed by DeviceID (reference/amd-iommu.md §10.10):
 * once a DTE has been read it is used until INVALIDATE_DEVTAB_ENTRY for that DeviceID or
 * INVALIDATE_IOMMU_ALL runs, so a DTE rewritten in memory without the command keeps the old
 * DomainID, root and permissions in use. Each unit has its own cache even when the units of a
 * segment share one device table (§10.16): that is why NOVA invalidates on all of them.
 *
 * Bounded like the IOTLB: at `capacity` entries the next insertion first drops everything.
 */
export class DeviceTableCache {
  private readonly entries = new Map<number, DteSnapshot>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(deviceId: number): DteSnapshot | undefined {
    return this.entries.get(deviceId);
  }

  insert(deviceId: number, entry: DteSnapshot): void {
    if (!this.entries.has(deviceId) && this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(deviceId, entry);
  }

  /** INVALIDATE_DEVTAB_ENTRY (§5.3). Returns whether an entry was cached. */
  invalidate(deviceId: number): boolean {
    return this.entries.delete(deviceId);
  }

  /** INVALIDATE_IOMMU_ALL (§5.3). */
  invalidateAll(): void {
    this.entries.clear();
  }
}
