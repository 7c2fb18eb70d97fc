import type { SchedulableContext } from "../hooks/scheduler-policy.js";
import type { EcBody, EcKind, HypercallResult, PortalCall, PortalHandler } from "./workload.js";

/**
 * The runtime's side tables, keyed by kernel object id (kernel-state/kernel-runtime.ts): what the
 * synchronous object layer does not know about time and coroutines.
 */

/** What an EC does once the cost of its current request has been consumed. */
export type PendingOperation =
  | { readonly kind: "resume"; readonly value: unknown }
  | { readonly kind: "hypercall"; readonly identifier: number; readonly selector: bigint; readonly args: readonly bigint[]; readonly create?: CreateEcCode }
  | { readonly kind: "reply"; readonly mtd: bigint }
  | { readonly kind: "start-body" }
  | { readonly kind: "start-handler"; readonly call: PortalCall }
  | { readonly kind: "event"; readonly event: number }
  | { readonly kind: "exit" }
  | { readonly kind: "crash"; readonly message: string };

/** Code that a create_ec request attaches to the EC it makes. */
export interface CreateEcCode {
  readonly body?: EcBody;
  readonly handler?: PortalHandler;
}

export type EcRunState =
  /** created, no SC bound yet (global) */
  | "created"
  /** has work: a pending operation or compute time */
  | "runnable"
  /** waiting on a semaphore */
  | "blocked"
  /** local EC waiting for a call */
  | "idle"
  /** its body returned (global) or it replied without a caller */
  | "finished"
  | "dead";

export class EcRuntime {
  state: EcRunState;
  /** the UTCB's 512 message words (the object layer's, or a private one for vCPUs) */
  readonly utcb: BigUint64Array;
  body: EcBody | undefined;
  handler: PortalHandler | undefined;
  /** ns still to consume before `pending` runs */
  computeLeftNs = 0;
  pending: PendingOperation | undefined;
  /** resolves the promise the coroutine awaits */
  deliver: ((value: unknown) => void) | undefined;
  /** set while the simulator waits for this coroutine to reach its next request */
  onYield: (() => void) | undefined;
  /** the EC this one called and waits for (donation chain) */
  callee: EcRuntime | undefined;
  /** the EC whose call this (local) EC serves */
  caller: EcRuntime | undefined;
  /** true when `caller` made an implicit (event) call, so the reply resumes `afterEvent` */
  servingEvent = false;
  /** what a faulting EC does once its event handler replied */
  afterEvent: PendingOperation | undefined;
  /** busy callee this EC helps before retrying its ipc_call */
  helping: EcRuntime | undefined;
  /** SCs whose activity ended at this EC while it was blocked (NOVA block_sc) */
  readonly parkedScs: ScRuntime[] = [];
  /** semaphore this EC waits on, and its timeout event id */
  waitingOn: number | undefined;
  timeoutToken: number | undefined;
  recallPending = false;
  /** a global EC raises STARTUP when its first SC is bound */
  startupRaised = false;
  /** bumped on every activation so stale coroutines of killed activations are ignored */
  activation = 0;

  constructor(
    readonly id: number,
    readonly pd: number,
    readonly cpu: number,
    readonly kind: EcKind,
    readonly eventBase: number,
    utcb: BigUint64Array | undefined,
  ) {
    this.utcb = utcb ?? new BigUint64Array(512);
    this.state = kind === "local" ? "idle" : "created";
  }
}

/** An SC as the kernel charges it: the object layer's SC, whose usedNs ctrl_sc reports. */
export type ChargeableContext = Omit<SchedulableContext, "usedNs"> & { usedNs: number };

/** The runtime's side of an SC; the policy sees `context`. */
export class ScRuntime {
  /** where the SC waits to run: the policy's ready queue, a CPU's release queue, or neither */
  queued: "none" | "ready" | "release" = "none";
  /** the EC at whose (blocked) state this SC is parked */
  parkedOn: EcRuntime | undefined;
  destroyed = false;

  constructor(
    readonly context: ChargeableContext,
    readonly ec: EcRuntime,
  ) {}

  get id(): number {
    return this.context.id;
  }
  get cpu(): number {
    return this.context.cpu;
  }
  get leftNs(): number {
    return this.context.leftNs;
  }
  set leftNs(value: number) {
    this.context.leftNs = value;
  }
  get usedNs(): number {
    return this.context.usedNs;
  }
  set usedNs(value: number) {
    this.context.usedNs = value;
  }
}

export interface CpuRuntime {
  readonly index: number;
  current: ScRuntime | undefined;
  /** simulated time up to which `current` has been charged */
  accountedUntilNs: number;
  /** generation of the armed CPU timer event (budget timeout or compute completion) */
  timerGeneration: number;
  /** a higher-priority SC became ready: reschedule before running anything else */
  rescheduleRequested: boolean;
  /** SCs woken from other CPUs (§7 Remote unblock), drained on the RRQ IPI */
  readonly releaseQueue: ScRuntime[];
  /** the EC that ran last, to count context switches */
  lastEc: number | undefined;
}

export const SUCCESS_RESULT = (results: readonly bigint[] = []): HypercallResult => ({ status: 0, results });
