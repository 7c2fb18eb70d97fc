import { AllocationSite, UNRESTRICTED_ALLOCATIONS, type KernelAllocationPolicy } from "./kernel-allocation-policy.js";

/**
 * Kernel memory quota of one PD (reference/nova.md §1.1 "objects come from slab caches that
 * belong to the owning PD", §2.2 MEM_OBJ / MEM_CAP). Quotas form a tree along PD creation: a
 * charge to a child also counts against every ancestor, so a parent's limit bounds everything
 * created below it. A limit of `undefined` means "bounded only by the ancestors".
 */
export class KernelQuota {
  private used = 0;
  /** every charge asks it first (fault injection); a child quota inherits its parent's */
  readonly allocationPolicy: KernelAllocationPolicy;

  constructor(
    private limit: number | undefined,
    readonly parent: KernelQuota | undefined,
    allocationPolicy?: KernelAllocationPolicy,
  ) {
    this.allocationPolicy = allocationPolicy ?? parent?.allocationPolicy ?? UNRESTRICTED_ALLOCATIONS;
  }

  get usedBytes(): number {
    return this.used;
  }

  get limitBytes(): number | undefined {
    return this.limit;
  }

  /** Change the limit (a root task sizing a child PD); charges already made stay. */
  setLimit(limit: number | undefined): void {
    this.limit = limit;
  }

  /** bytes that can still be charged here, considering every ancestor */
  available(): number {
    let result = Number.POSITIVE_INFINITY;
    for (let q: KernelQuota | undefined = this; q !== undefined; q = q.parent) {
      if (q.limit !== undefined) result = Math.min(result, q.limit - q.used);
    }
    return Math.max(0, result);
  }

  /**
   * Charge `bytes` to this quota and every ancestor, or nothing at all when one would overflow
   * or the allocation policy refuses the allocation at `site` (kernel-allocation-policy.ts).
   */
  tryCharge(bytes: number, site: string = AllocationSite.UNNAMED_CHARGE): boolean {
    if (!this.allocationPolicy.allow(site)) return false;
    if (bytes > this.available()) return false;
    for (let q: KernelQuota | undefined = this; q !== undefined; q = q.parent) q.used += bytes;
    return true;
  }

  refund(bytes: number): void {
    for (let q: KernelQuota | undefined = this; q !== undefined; q = q.parent) q.used -= bytes;
  }
}
