import { Status } from "../abi/status.js";
import type { EcRuntime } from "./runtime-objects.js";
import type { Simulator } from "./simulator.js";
import type { HypercallResult } from "./workload.js";

/** SM permission bits (reference/nova.md §1.4). */
export const SemaphorePermission = { CTRL_UP: 0x1, CTRL_DN: 0x2 } as const;
/** ctrl_sm flags (§2.3): D (bit0) down, Z (bit1) zero the counter on down. */
export const SemaphoreFlag = { DOWN: 0x1, ZERO: 0x2 } as const;

const result = (status: Status): HypercallResult => ({ status, results: [] });

/**
 * ctrl_sm (reference/nova.md §1.7, §2.4): up wakes the first waiter (FIFO) or increments
 * (OVRFLOW at 2^64-1); down decrements (Z zeroes) or blocks with an optional absolute STC
 * deadline that yields TIMEOUT only if the EC is still blocked when it passes.
 * The counter lives in the SM object; the wait queues are the runtime's.
 */
export class SemaphoreEngine {
  private readonly waiters = new Map<number, EcRuntime[]>();

  constructor(private readonly sim: Simulator) {}

  control(ec: EcRuntime, selector: bigint, flags: number, deadline: bigint): HypercallResult | undefined {
    const capability = this.sim.objects.capability(ec.pd, selector);
    if (!capability || capability.type !== "SM") return result(Status.BAD_CAP);
    const down = (flags & SemaphoreFlag.DOWN) !== 0;
    const needed = down ? SemaphorePermission.CTRL_DN : SemaphorePermission.CTRL_UP;
    if ((capability.permissions & needed) === 0) return result(Status.BAD_CAP);
    const sm = capability.objectId;
    return down ? this.down(ec, sm, (flags & SemaphoreFlag.ZERO) !== 0, deadline) : this.up(sm);
  }

  private up(sm: number): HypercallResult {
    const queue = this.waiters.get(sm);
    const first = queue?.shift();
    if (first) {
      if (queue!.length === 0) this.waiters.delete(sm);
      first.waitingOn = undefined;
      first.timeoutToken = undefined;
      this.sim.unblock(first, result(Status.SUCCESS));
      return result(Status.SUCCESS);
    }
    return result(this.sim.objects.semaphoreIncrement(sm) ? Status.SUCCESS : Status.OVRFLOW);
  }

  private down(ec: EcRuntime, sm: number, zero: boolean, deadline: bigint): HypercallResult | undefined {
    // §2.4: down on an interrupt SM must run on the CPU the interrupt is routed to
    const routeCpu = this.sim.objects.semaphoreRouteCpu(sm);
    if (routeCpu !== undefined && routeCpu !== ec.cpu) return result(Status.BAD_CPU);
    if (this.sim.objects.semaphoreTryDecrement(sm, zero)) return result(Status.SUCCESS);
    const deadlineNs = Number(BigInt.asUintN(64, deadline));
    if (deadline !== 0n && deadlineNs <= this.sim.nowNs()) return result(Status.TIMEOUT);
    let queue = this.waiters.get(sm);
    if (!queue) {
      queue = [];
      this.waiters.set(sm, queue);
    }
    queue.push(ec);
    ec.waitingOn = sm;
    this.sim.block(ec);
    // deadlines beyond 2^53 ns (104 days) never pass within a simulation
    if (deadline !== 0n && Number.isSafeInteger(deadlineNs)) ec.timeoutToken = this.sim.scheduleTimeout(ec, deadlineNs);
    return undefined;
  }

  /** the deadline of a blocked EC passed: TIMEOUT if it still waits */
  timeout(ec: EcRuntime): void {
    if (ec.waitingOn === undefined || ec.state !== "blocked") return;
    this.forget(ec);
    this.sim.unblock(ec, result(Status.TIMEOUT));
  }

  /** drop `ec` from whatever queue it waits in */
  forget(ec: EcRuntime): void {
    const sm = ec.waitingOn;
    ec.waitingOn = undefined;
    ec.timeoutToken = undefined;
    if (sm === undefined) return;
    const queue = this.waiters.get(sm);
    if (!queue) return;
    const index = queue.indexOf(ec);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.waiters.delete(sm);
  }

  /** a destroyed SM releases its waiters with ABORTED (dying object, §2.2) */
  objectDestroyed(sm: number): void {
    const queue = this.waiters.get(sm);
    if (!queue) return;
    this.waiters.delete(sm);
    for (const ec of queue) {
      ec.waitingOn = undefined;
      ec.timeoutToken = undefined;
      this.sim.unblock(ec, result(Status.ABORTED));
    }
  }

  waiterCount(sm: number): number {
    return this.waiters.get(sm)?.length ?? 0;
  }
}
