import type { KernelObject } from "./kernel-object.js";

/**
 * A capability is an object plus permission bits (reference/nova.md §1.3). The null capability
 * is `undefined`: masking never leaves "an object with zero permissions".
 */
export interface Capability {
  readonly object: KernelObject;
  readonly permissions: number;
}

/** object + (permissions AND the object's DEFINED mask); null (undefined) when nothing is left. */
export function makeCapability(object: KernelObject, permissions: number): Capability | undefined {
  const masked = permissions & object.definedPermissions;
  return masked === 0 ? undefined : { object, permissions: masked };
}

/** A copy of `capability` with permissions ANDed by `mask` (delegation, §1.8). */
export function maskCapability(capability: Capability | undefined, mask: number): Capability | undefined {
  return capability === undefined ? undefined : makeCapability(capability.object, capability.permissions & mask);
}
