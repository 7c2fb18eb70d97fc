import { SM_INTERRUPT_PERMISSIONS_DEFINED, SM_REGULAR_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import { KernelObject } from "./kernel-object.js";
import { SmSubtype } from "./object-type.js";

const COUNTER_MAX = (1n << 64n) - 1n;

/** Routing an assign_int established (§2.4): the CPU the interrupt goes to and the flag nibble. */
export interface InterruptRoute {
  readonly cpu: number;
  /** M masked, T level-triggered, P active-low, G guest-owned (bits 0..3) */
  readonly flags: number;
  readonly device: bigint;
}

/**
 * A semaphore (reference/nova.md §1.7): a 64-bit counter and, for interrupt semaphores, the
 * interrupt id. The FIFO of blocked ECs belongs to the runtime, which calls these counter
 * operations when no waiter is involved.
 */
export class Semaphore extends KernelObject {
  private count: bigint;
  /** set by a successful assign_int; the runtime checks `down` runs on this CPU (§2.4 ctrl_sm) */
  route: InterruptRoute | undefined = undefined;

  constructor(
    id: number,
    initialCount: bigint,
    /** interrupt id (GSI / INTID), undefined for an ordinary semaphore (NOVA: ~0) */
    readonly interruptId: number | undefined,
    quota: KernelQuota,
    chargedBytes: number,
  ) {
    super(id, "SM", interruptId === undefined ? SmSubtype.SM_REG : SmSubtype.SM_INT, quota, chargedBytes);
    this.count = BigInt.asUintN(64, initialCount);
  }

  get counter(): bigint {
    return this.count;
  }

  get isInterrupt(): boolean {
    return this.interruptId !== undefined;
  }

  get definedPermissions(): number {
    return this.isInterrupt ? SM_INTERRUPT_PERMISSIONS_DEFINED : SM_REGULAR_PERMISSIONS_DEFINED;
  }

  get subtypeName(): string {
    return this.isInterrupt ? "SM_INT" : "SM_REG";
  }

  heldReferences(): readonly KernelObject[] {
    return [];
  }

  /** `up` with no waiter: count + 1; false (OVRFLOW) at 2^64 - 1. */
  increment(): boolean {
    if (this.count === COUNTER_MAX) return false;
    this.count += 1n;
    return true;
  }

  /** `down` that need not block: false when the counter is 0 (the caller blocks). Z=1 zeroes it. */
  tryDecrement(zero: boolean): boolean {
    if (this.count === 0n) return false;
    this.count = zero ? 0n : this.count - 1n;
    return true;
  }
}
