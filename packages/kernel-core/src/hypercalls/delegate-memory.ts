import { MEMORY_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { MappingEvent } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { MemoryAttributes } from "../memory/page-table-format.js";
import type { LeafBlock } from "../memory/translation-table.js";
import { alignedBlocks } from "../objects/aligned-blocks.js";
import type { MemorySource, MemorySpace } from "../objects/memory-space.js";

export interface MemoryDelegation {
  readonly source: MemorySource;
  readonly destination: MemorySpace;
  /** source / destination page numbers (ssb, dsb) */
  readonly sourceBase: bigint;
  readonly destinationBase: bigint;
  readonly order: number;
  readonly mask: number;
  /** from the NOVA host space: attributes come from the MAD; otherwise they are inherited */
  readonly madAttributes: MemoryAttributes | undefined;
}

/**
 * Memory copy (reference/nova.md §1.8): walk the source range in its largest naturally aligned
 * blocks (TranslationTable.leaves, or the NOVA host space's identity blocks) and write each into
 * the destination's page table; source holes remove what the destination had. Permissions are
 * ANDed with pmm, kernel (K) memory arrives with none. After all updates the `unmapped` hooks
 * run (the TLB/IOTLB invalidation) and only then are freed table pages released. MEM_CAP (or
 * BAD_PAR from the engine) stops the walk, keeping what was done.
 */
export function delegateMemory(state: KernelState, delegation: MemoryDelegation): Status {
  const { source, destination, order } = delegation;
  const table = destination.table;
  const mask = delegation.mask & MEMORY_PERMISSIONS_DEFINED;
  const sourceStart = delegation.sourceBase << 12n;
  const offset = (delegation.destinationBase - delegation.sourceBase) << 12n;
  const sourceEnd = sourceStart + (1n << BigInt(order + 12));
  const invalidations: MappingEvent[] = [];
  let status: Status = Status.SUCCESS;

  const event = (page: bigint, blockOrder: number, permissions: number, frame?: bigint): MappingEvent => ({
    kind: destination.kind,
    spaceId: destination.id,
    ownerPd: destination.pd.id,
    page,
    order: blockOrder,
    permissions,
    ...(frame !== undefined ? { frame } : {}),
  });

  /** write one block into the destination; false stops the walk */
  const write = (input: bigint, output: bigint, blockOrder: number, permissions: number, attributes: MemoryAttributes): boolean => {
    const previous = table.leaves(input, blockOrder);
    const outcome = permissions === 0 ? table.unmap(input, blockOrder) : table.map(input, output, blockOrder, permissions, attributes);
    if (!outcome.ok) {
      status = outcome.status === "MEM_CAP" ? Status.MEM_CAP : Status.BAD_PAR;
      return false;
    }
    if (previous.length > 0 && (permissions === 0 || outcome.flushNeeded)) {
      for (const old of previous) invalidations.push(event(old.inputAddress >> 12n, old.order, 0));
    }
    if (permissions !== 0) state.hooks.mapped.call(event(input >> 12n, blockOrder, permissions, output >> 12n));
    return true;
  };

  const removeRange = (from: bigint, to: bigint): boolean => {
    if (from >= to) return true;
    for (const block of alignedBlocks(from >> 12n, to >> 12n)) {
      if (!write((block.page << 12n) + offset, 0n, block.order, 0, delegation.madAttributes ?? inheritedAttributes(undefined))) return false;
    }
    return true;
  };

  let cursor = sourceStart;
  let completed = true;
  for (const leaf of source.leaves(sourceStart, order)) {
    if (!removeRange(cursor, leaf.inputAddress)) {
      completed = false;
      break;
    }
    const permissions = leaf.attributes.kernel ? 0 : leaf.permissions & mask;
    const attributes = delegation.madAttributes ?? inheritedAttributes(leaf);
    if (!write(leaf.inputAddress + offset, leaf.outputAddress, leaf.order, permissions, attributes)) {
      completed = false;
      break;
    }
    cursor = leaf.inputAddress + (1n << BigInt(leaf.order + 12));
  }
  if (completed) removeRange(cursor, sourceEnd);

  // an IOMMU whose invalidation timed out may still walk the emptied tables: they stay on the
  // waitlist (quarantined, still allocated and charged) until a later delegation's invalidation
  // of this space completes (an in-order command queue has then finished the earlier one too)
  let timedOut = false;
  const quarantineTables = (): void => {
    timedOut = true;
  };
  // only DMA spaces have an IOMMU behind them whose invalidation can time out
  const offerQuarantine = destination.kind === "DMA";
  for (const invalidation of invalidations) state.hooks.unmapped.call(offerQuarantine ? { ...invalidation, invalidationTimedOut: quarantineTables } : invalidation);
  if (timedOut) state.quarantinedTables.add(table);
  else if (invalidations.length > 0) state.quarantinedTables.delete(table);
  if (!state.quarantinedTables.has(table)) table.releaseWaitlisted();
  return status;
}

/** Host-to-host copies keep the source's attributes (§1.8), as user memory of the destination. */
function inheritedAttributes(leaf: LeafBlock | undefined): MemoryAttributes {
  const cache = leaf?.attributes.cache ?? "WB";
  return { cache, keyId: leaf?.attributes.keyId ?? 0, user: true, kernel: false, global: false, shadowStack: leaf?.attributes.shadowStack ?? false };
}
