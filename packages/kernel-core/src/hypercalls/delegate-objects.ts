import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { maskCapability } from "../objects/capability.js";
import type { ObjectSpace } from "../objects/object-space.js";

/**
 * OBJ -> OBJ copy (reference/nova.md §1.8): one selector at a time, look up the source, mask by
 * pmm, update the destination. A null or fully masked capability stores null; a dying object
 * (tryInc fails) stores null; the overwritten capability's reference is released. MEM_CAP when
 * a destination table cannot be allocated, with every earlier selector already copied.
 */
export function delegateObjects(
  state: KernelState,
  source: ObjectSpace,
  destination: ObjectSpace,
  sourceBase: number,
  destinationBase: number,
  count: number,
  mask: number,
): Status {
  for (let i = 0; i < count; i++) {
    const copy = maskCapability(source.lookup(sourceBase + i), mask);
    const status = state.store(destination, destinationBase + i, copy);
    if (status !== Status.SUCCESS) return status;
  }
  return Status.SUCCESS;
}
