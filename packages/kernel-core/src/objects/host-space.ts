import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { TranslationTable } from "../memory/translation-table.js";
import { MemorySpace } from "./memory-space.js";
import type { ProtectionDomain } from "./protection-domain.js";

/**
 * A PD's host space (reference/nova.md §1.2): host-virtual page numbers. Only the user half of
 * the input range is addressable, so a 48-bit table has 2^(48-12-1) = 2^35 selectors.
 */
export class HostSpace extends MemorySpace {
  readonly kind = "HST" as const;

  constructor(id: number, pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number, table: TranslationTable) {
    super(id, "HST", pd, quota, chargedBytes, table);
  }

  override get selectorCount(): bigint {
    return 1n << BigInt(this.table.format.inputBits - 12 - 1);
  }

  /** the highest user page address (x86 4-level: 2^47 - 4 KiB), where NOVA maps the HIP (§8.5) */
  get topUserPage(): bigint {
    return (this.selectorCount - 1n) << 12n;
  }
}
