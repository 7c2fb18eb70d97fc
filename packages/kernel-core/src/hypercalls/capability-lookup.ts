import { Status } from "../abi/status.js";
import type { Capability } from "../objects/capability.js";
import { ExecutionContext } from "../objects/execution-context.js";
import type { KernelObject } from "../objects/kernel-object.js";
import type { ObjectSpace } from "../objects/object-space.js";
import { Portal } from "../objects/portal.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { SchedulingContext } from "../objects/scheduling-context.js";
import { Semaphore } from "../objects/semaphore.js";
import { Space } from "../objects/space.js";
import { SELNUM } from "../abi/well-known-selectors.js";

/** A capability lookup that either found an object of the wanted type with the permissions, or says why not. */
export type CapabilityLookup<T> =
  | { readonly ok: true; readonly object: T; readonly permissions: number }
  | { readonly ok: false; readonly status: Status };

/** A class (also an abstract one, or one with a protected constructor) to test with instanceof. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- instanceof needs a Function
type ClassOf<T> = Function & { readonly prototype: T };

const BAD_CAP: CapabilityLookup<never> = Object.freeze({ ok: false, status: Status.BAD_CAP });

function isInstance<T extends KernelObject>(object: KernelObject, type: ClassOf<T>): object is T {
  return object instanceof type;
}

/** The object space a PD's hypercalls name selectors in. */
function spaceOf(holder: ProtectionDomain | ObjectSpace): ObjectSpace | undefined {
  return holder instanceof ProtectionDomain ? holder.objectSpace : holder;
}

/** The capability at `selector` in `holder`'s object space; null (undefined) when empty or out of range. */
export function lookupCapability(holder: ProtectionDomain | ObjectSpace, selector: bigint): Capability | undefined {
  const space = spaceOf(holder);
  if (space === undefined || selector < 0n || selector >= BigInt(SELNUM)) return undefined;
  return space.lookup(Number(selector));
}

/**
 * The object behind `selector` if it is a `type` and the capability carries every bit of
 * `requiredPermissions`; otherwise BAD_CAP (reference/nova.md §2.2: bad capability, wrong type
 * or missing permission).
 */
export function objectFor<T extends KernelObject>(
  holder: ProtectionDomain | ObjectSpace,
  selector: bigint,
  type: ClassOf<T>,
  requiredPermissions: number,
  accept: (object: T) => boolean = () => true,
): CapabilityLookup<T> {
  const capability = lookupCapability(holder, selector);
  if (capability === undefined || !isInstance(capability.object, type)) return BAD_CAP;
  const object = capability.object;
  if ((capability.permissions & requiredPermissions) !== requiredPermissions) return BAD_CAP;
  if (!accept(object)) return BAD_CAP;
  return { ok: true, object, permissions: capability.permissions };
}

/** A PD capability (type PD, subtype PD — not a space). */
export function pdFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<ProtectionDomain> {
  return objectFor(holder, selector, ProtectionDomain, requiredPermissions);
}

export function ecFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<ExecutionContext> {
  return objectFor(holder, selector, ExecutionContext, requiredPermissions);
}

export function scFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<SchedulingContext> {
  return objectFor(holder, selector, SchedulingContext, requiredPermissions);
}

/** A portal capability, e.g. portalFor(pd, sel, PtPermission.CALL) for ipc_call. */
export function portalFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<Portal> {
  return objectFor(holder, selector, Portal, requiredPermissions);
}

/** A semaphore capability, e.g. semaphoreFor(pd, sel, SmPermission.CTRL_DN) for ctrl_sm down. */
export function semaphoreFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<Semaphore> {
  return objectFor(holder, selector, Semaphore, requiredPermissions);
}

/** A space capability (type PD with subtype != PD) of any kind. */
export function spaceFor(holder: ProtectionDomain | ObjectSpace, selector: bigint, requiredPermissions: number): CapabilityLookup<Space> {
  return objectFor(holder, selector, Space, requiredPermissions);
}
