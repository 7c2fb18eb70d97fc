import type { KernelState } from "../kernel-state/kernel-state.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { ObjectSpace } from "../objects/object-space.js";

/** One non-null capability slot of some object space. */
export interface CapabilitySlot {
  readonly spaceId: number;
  readonly selector: number;
  readonly object: KernelObject;
  readonly permissions: number;
}

/** Every capability in every live object space, read once per check and shared by the checks. */
export function snapshotCapabilities(state: KernelState): CapabilitySlot[] {
  const slots: CapabilitySlot[] = [];
  for (const object of state.objects.all()) {
    if (!(object instanceof ObjectSpace)) continue;
    for (const [selector, capability] of object.entries()) slots.push({ spaceId: object.id, selector, object: capability.object, permissions: capability.permissions });
  }
  return slots;
}
