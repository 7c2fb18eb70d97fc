import { MEMORY_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import { DEFAULT_ATTRIBUTES } from "../memory/page-table-format.js";
import type { LeafBlock } from "../memory/translation-table.js";
import { alignedBlocks } from "./aligned-blocks.js";
import type { MemorySource } from "./memory-space.js";
import type { ProtectionDomain } from "./protection-domain.js";
import { Space } from "./space.js";

/** A physical range NOVA keeps to itself (kernel image, IOMMU/LAPIC/IOAPIC MMIO, MSI page ...). */
export interface ProtectedRange {
  readonly base: bigint;
  readonly size: bigint;
  readonly reason: string;
}

/**
 * The NOVA host space (reference/nova.md §1.5): not a page table but the identity view of
 * physical memory. Selector N is physical page N with all permissions, except the protected
 * ranges, which are null. Delegating from it takes attributes from the MAD (§1.8).
 */
export class NovaHostSpace extends Space implements MemorySource {
  readonly kind = "HST" as const;
  /** protected page ranges [start, end), sorted and merged */
  private readonly holes: readonly { start: bigint; end: bigint }[];

  constructor(
    id: number,
    pd: ProtectionDomain,
    quota: KernelQuota,
    chargedBytes: number,
    /** physical address bits of the CPU: the space covers 2^(bits-12) pages */
    readonly physicalAddressBits: number,
    readonly protectedRanges: readonly ProtectedRange[],
  ) {
    super(id, "HST", pd, quota, chargedBytes);
    this.holes = mergeRanges(protectedRanges);
  }

  get selectorCount(): bigint {
    return 1n << BigInt(this.physicalAddressBits - 12);
  }

  /** whether physical page `page` is protected (null in this space) */
  isProtected(page: bigint): boolean {
    return this.holes.some((hole) => page >= hole.start && page < hole.end);
  }

  leaves(input: bigint, order: number): LeafBlock[] {
    const start = input >> 12n;
    const end = start + (1n << BigInt(order));
    const leaves: LeafBlock[] = [];
    let cursor = start;
    const emit = (from: bigint, to: bigint): void => {
      for (const block of alignedBlocks(from, to)) {
        leaves.push({
          inputAddress: block.page << 12n,
          outputAddress: block.page << 12n,
          order: block.order,
          permissions: MEMORY_PERMISSIONS_DEFINED,
          attributes: DEFAULT_ATTRIBUTES,
        });
      }
    };
    for (const hole of this.holes) {
      if (hole.end <= cursor) continue;
      if (hole.start >= end) break;
      if (hole.start > cursor) emit(cursor, hole.start);
      cursor = hole.end > cursor ? hole.end : cursor;
    }
    if (cursor < end) emit(cursor, end);
    return leaves;
  }
}

function mergeRanges(ranges: readonly ProtectedRange[]): { start: bigint; end: bigint }[] {
  const pages = ranges
    .filter((r) => r.size > 0n)
    .map((r) => ({ start: r.base >> 12n, end: (r.base + r.size + 0xfffn) >> 12n }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: { start: bigint; end: bigint }[] = [];
  for (const range of pages) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end) {
      if (range.end > last.end) last.end = range.end;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}
