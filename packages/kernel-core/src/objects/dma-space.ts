import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { TranslationTable } from "../memory/translation-table.js";
import { MemorySpace } from "./memory-space.js";
import type { ProtectionDomain } from "./protection-domain.js";

/** A DMA space (reference/nova.md §1.2): DMA-virtual page numbers, an IOMMU's I/O page table. */
export class DmaSpace extends MemorySpace {
  readonly kind = "DMA" as const;

  constructor(id: number, pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number, table: TranslationTable) {
    super(id, "DMA", pd, quota, chargedBytes, table);
  }
}
