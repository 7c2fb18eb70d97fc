import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { TranslationTable } from "../memory/translation-table.js";
import { MemorySpace } from "./memory-space.js";
import type { ProtectionDomain } from "./protection-domain.js";

/** A guest space (reference/nova.md §1.2): guest-physical page numbers, EPT/NPT/stage-2. */
export class GuestSpace extends MemorySpace {
  readonly kind = "GST" as const;

  constructor(id: number, pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number, table: TranslationTable) {
    super(id, "GST", pd, quota, chargedBytes, table);
  }
}
