import type { MappingEvent } from "@novakit/kernel-core";
import type { DriverState } from "./driver-state.js";
import { invalidatePageBlock } from "./nova-commands.js";

/** the doorbell of the boot CPU: an `unmapped` event does not say which CPU runs the delegation */
const INVALIDATING_CPU = 0;

/**
 * A leaf left a DMA space (ctrl_pd revoked or overwrote it): before the kernel frees tables or
 * reuses the frames (the `unmapped` hook runs before `releaseWaitlisted`), every unit that may
 * cache the domain's translations gets INVALIDATE_IOMMU_PAGES for the block (PDE=1: emptied
 * tables are freed too) and a COMPLETION_WAIT (nova.md §4.1 `sync`, reference/amd-iommu.md §5.3).
 * A domain no device is assigned to has nothing cached: no command is sent. When the wait times
 * out the unit may still walk the tables the unmap emptied: the tap tells the kernel
 * (MappingEvent.invalidationTimedOut), which then keeps them waitlisted instead of reusing them.
 */
export function invalidateUnmapped(state: DriverState, event: MappingEvent): void {
  if (!state.enabled || event.kind !== "DMA") return;
  const domainId = state.domainIds.peek(event.spaceId);
  if (domainId === undefined) return;
  const command = invalidatePageBlock(domainId, event.page, event.order);
  for (const segment of state.segmentsUsing(domainId)) {
    for (const unit of state.unitsBySegment.get(segment) ?? []) {
      if (!unit.submit([command], INVALIDATING_CPU)) {
        state.counters.invalidationTimeouts++;
        // the unit may still translate through the emptied tables: ask the kernel to keep them
        // (ctrl_pd offers it); the unmapped frames themselves are the domain's, not the kernel's
        state.counters.quarantinedBlocks++;
        event.invalidationTimedOut?.();
        state.kernel.log(
          `SMMU: ${unit.name} IOTLB invalidation of domain ${domainId} page 0x${event.page.toString(16)} order ${event.order} timed out (Faulty HW?); its page tables stay quarantined`,
        );
      }
    }
  }
}
