import { Hypercall } from "../abi/hypercall-numbers.js";
import { Status } from "../abi/status.js";
import type { EcRuntime, PendingOperation } from "./runtime-objects.js";
import { HYPERCALL_COST_NS, type Simulator } from "./simulator.js";
import type { HypercallResult } from "./workload.js";

/** PT permission bits (reference/nova.md §1.4). */
export const PortalPermission = { CTRL: 0x1, CALL: 0x2, EVENT: 0x4 } as const;
/** ipc_call flag T (bit0): fail with TIMEOUT instead of helping (§2.3). */
export const IPC_CALL_FLAG_TIMEOUT = 0x1;
/** MTD bit 0 of an architectural reply: POISON kills the faulting EC (§2.5). */
const MTD_POISON = 0x1n;

const result = (status: Status, results: readonly bigint[] = []): HypercallResult => ({ status, results });

/** Number of UTCB words an MTD transfers: (MTD mod 512) + 1 (§2.4, §2.5). */
export function wordsTransferred(mtd: bigint): number {
  return Number(BigInt.asUintN(64, mtd) % 512n) + 1;
}

/**
 * Synchronous IPC (reference/nova.md §2.4, §2.6): ipc_call with SC donation, helping of busy
 * callees, ipc_reply, and events delivered as implicit calls to the portal at SELEVT + event.
 */
export class IpcEngine {
  constructor(private readonly sim: Simulator) {}

  /** ipc_call; undefined when the caller does not resume now (the call is in progress). */
  call(caller: EcRuntime, selector: bigint, flags: number, mtd: bigint): HypercallResult | undefined {
    const capability = this.sim.objects.capability(caller.pd, selector);
    if (!capability || capability.type !== "PT" || (capability.permissions & PortalPermission.CALL) === 0) {
      return result(Status.BAD_CAP);
    }
    const portal = this.sim.objects.portal(capability.objectId);
    const callee = portal ? this.sim.ecs.get(portal.ec) : undefined;
    if (!portal || !callee) return result(Status.BAD_CAP);
    if (callee.cpu !== caller.cpu) return result(Status.BAD_CPU);
    if (callee.state === "dead") return result(Status.ABORTED);
    if (this.busy(callee)) {
      if ((flags & IPC_CALL_FLAG_TIMEOUT) !== 0) return result(Status.TIMEOUT);
      // Helping: the caller's SC drives the callee's current activity, then the call is retried.
      caller.helping = callee;
      caller.pending = {
        kind: "hypercall",
        identifier: Hypercall.ipc_call | (flags << 4),
        selector,
        args: [mtd],
      };
      // each retry costs a kernel entry: a helping cycle (an EC helping itself through a chain)
      // then spins on its budget instead of livelocking the CPU (§7: preemption points in helping)
      caller.computeLeftNs = HYPERCALL_COST_NS;
      this.sim.stats.hypercalls--; // the retry counts it again
      return undefined;
    }
    this.sim.stats.ipcCalls++;
    const words = wordsTransferred(mtd);
    callee.utcb.set(caller.utcb.subarray(0, words), 0);
    callee.caller = caller;
    callee.servingEvent = false;
    caller.callee = callee;
    callee.state = "runnable";
    callee.computeLeftNs = 0;
    callee.pending = { kind: "start-handler", call: { pid: portal.pid, mtd, ip: portal.ip } };
    return undefined;
  }

  /** ipc_reply: copy the reply words back, return the MTD in the caller's p1, wait again. */
  reply(callee: EcRuntime, mtd: bigint): void {
    const caller = callee.caller;
    const servingEvent = callee.servingEvent;
    callee.caller = undefined;
    callee.servingEvent = false;
    callee.pending = undefined;
    callee.deliver = undefined;
    callee.computeLeftNs = 0;
    // a local EC waits for the next call; anything else that replies without a caller waits forever
    callee.state = callee.kind === "local" ? "idle" : "finished";
    callee.activation++;
    if (!caller || caller.state === "dead") return;
    caller.callee = undefined;
    if (servingEvent) {
      if ((BigInt.asUintN(64, mtd) & MTD_POISON) !== 0n) {
        this.sim.kill(caller, "event reply with MTD.POISON");
        return;
      }
      const after: PendingOperation = caller.afterEvent ?? { kind: "resume", value: undefined };
      caller.afterEvent = undefined;
      caller.state = "runnable";
      caller.pending = after;
      caller.computeLeftNs = 0;
      return;
    }
    const words = wordsTransferred(mtd);
    caller.utcb.set(callee.utcb.subarray(0, words), 0);
    this.sim.resumeWith(caller, result(Status.SUCCESS, [mtd]));
  }

  /**
   * Deliver event `offset` (relative to SELEVT) of `ec` as an implicit call (§2.6). The portal
   * must have EVENT permission and a handler on the same CPU, otherwise `ec` is killed.
   */
  raiseEvent(ec: EcRuntime, offset: number, after: PendingOperation): void {
    const selector = BigInt(ec.eventBase + offset);
    const capability = this.sim.objects.capability(ec.pd, selector);
    if (!capability || capability.type !== "PT" || (capability.permissions & PortalPermission.EVENT) === 0) {
      this.sim.kill(ec, `event ${offset}: no portal with EVENT permission at selector 0x${selector.toString(16)}`);
      return;
    }
    const portal = this.sim.objects.portal(capability.objectId);
    const handler = portal ? this.sim.ecs.get(portal.ec) : undefined;
    if (!portal || !handler || handler.state === "dead" || handler.cpu !== ec.cpu) {
      this.sim.kill(ec, `event ${offset}: the portal's EC is not a live EC on CPU ${ec.cpu}`);
      return;
    }
    if (this.busy(handler)) {
      ec.helping = handler;
      ec.pending = { kind: "event", event: offset };
      ec.afterEvent = after;
      ec.computeLeftNs = HYPERCALL_COST_NS;
      return;
    }
    ec.afterEvent = after;
    handler.utcb[0] = BigInt(offset);
    handler.utcb[1] = BigInt(ec.id);
    handler.caller = ec;
    handler.servingEvent = true;
    ec.callee = handler;
    handler.state = "runnable";
    handler.computeLeftNs = 0;
    handler.pending = {
      kind: "start-handler",
      call: { pid: portal.pid, mtd: portal.mtd, ip: portal.ip, event: offset, sourceEc: ec.id },
    };
  }

  private busy(callee: EcRuntime): boolean {
    return callee.caller !== undefined || callee.state !== "idle";
  }
}
