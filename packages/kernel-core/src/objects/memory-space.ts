import type { SpaceKind } from "../hooks/hook-types.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { LeafBlock, TranslationTable } from "../memory/translation-table.js";
import type { ProtectionDomain } from "./protection-domain.js";
import { Space } from "./space.js";

/** Where delegation reads memory from: the present leaves of a range (byte addresses). */
export interface MemorySource {
  leaves(input: bigint, order: number): LeafBlock[];
}

/**
 * A host, guest or DMA space backed by a real page table (reference/nova.md §1.2, §3): selectors
 * are input page numbers, memory "capabilities" are the table's leaf entries.
 */
export abstract class MemorySpace extends Space implements MemorySource {
  abstract override readonly kind: "HST" | "GST" | "DMA";

  protected constructor(
    id: number,
    kind: SpaceKind,
    pd: ProtectionDomain,
    quota: KernelQuota,
    chargedBytes: number,
    readonly table: TranslationTable,
  ) {
    super(id, kind, pd, quota, chargedBytes);
  }

  get selectorCount(): bigint {
    return 1n << BigInt(this.table.format.inputBits - 12);
  }

  leaves(input: bigint, order: number): LeafBlock[] {
    // an order beyond the format's reach cannot name more than the whole table
    return this.table.leaves(input, Math.min(order, this.table.format.inputBits - 12));
  }
}
