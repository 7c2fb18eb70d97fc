import type { ChargeableContext } from "./runtime-objects.js";
import type { HypercallResult, EcKind } from "./workload.js";

/**
 * What the simulator needs from the synchronous object/hypercall layer (objects/, hypercalls/,
 * kernel-state/). One adapter (object-layer-adapter.ts) implements it over that layer, so the
 * runtime depends on a narrow, documented surface and not on the object layer's internals.
 */
export type ObjectTypeName = "PD" | "EC" | "SC" | "PT" | "SM";

export interface CapabilityInfo {
  readonly type: ObjectTypeName;
  readonly objectId: number;
  /** permission bits of the capability (reference/nova.md §1.4) */
  readonly permissions: number;
}

export interface EcInfo {
  readonly id: number;
  /** PD the EC belongs to (whose object space holds its event portals) */
  readonly pd: number;
  readonly cpu: number;
  readonly kind: EcKind;
  /** SELEVT */
  readonly eventBase: number;
  /** the UTCB message words; undefined for a vCPU */
  readonly utcb: BigUint64Array | undefined;
}

export interface PortalInfo {
  readonly id: number;
  readonly ec: number;
  readonly pid: bigint;
  readonly mtd: bigint;
  readonly ip: bigint;
}

export interface ScInfo {
  readonly ec: number;
  /** the SC object itself: the kernel charges its leftNs/usedNs, the policy sees it */
  readonly context: ChargeableContext;
}

export interface ObjectLayer {
  /** the capability at `selector` of the object space of PD `pd`; undefined for a null slot */
  capability(pd: number, selector: bigint): CapabilityInfo | undefined;
  ec(id: number): EcInfo | undefined;
  portal(id: number): PortalInfo | undefined;
  sc(id: number): ScInfo | undefined;
  /** `up` without a waiter: increment the counter of SM `id`; false (OVRFLOW) at 2^64-1 */
  semaphoreIncrement(id: number): boolean;
  /** `down` that need not block: decrement (zero: set to 0); false when the counter is 0 */
  semaphoreTryDecrement(id: number, zero: boolean): boolean;
  /** the CPU an interrupt SM is routed to (assign_int), undefined for other SMs */
  semaphoreRouteCpu(id: number): number | undefined;
  /** a non-blocking hypercall issued by EC `callerEc` (ipc_call, ipc_reply and ctrl_sm never reach it) */
  hypercall(callerEc: number, identifier: number, selector: bigint, args: readonly bigint[]): HypercallResult;
  /** live kernel objects, for BootResult.stats */
  objectCount(): number;
}
