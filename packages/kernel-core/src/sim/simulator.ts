import { Hypercall } from "../abi/hypercall-numbers.js";
import { Status } from "../abi/status.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { FaultEvent } from "../hooks/hook-types.js";
import type { SchedulerPolicy } from "../hooks/scheduler-policy.js";
import type { KernelRuntime } from "../kernel-state/kernel-runtime.js";
import { EventQueue } from "./event-queue.js";
import { IpcEngine } from "./ipc-engine.js";
import type { ObjectLayer } from "./object-layer.js";
import { type CpuRuntime, EcRuntime, type CreateEcCode, type PendingOperation, ScRuntime } from "./runtime-objects.js";
import { SemaphoreEngine } from "./semaphore-engine.js";
import type { EcBody, HypercallResult, PortalCall, UserlandApi } from "./workload.js";

/** Simulated cost of one kernel entry + exit, so that loops of hypercalls advance the clock. */
export const HYPERCALL_COST_NS = 200;
/** Simulated latency of the RRQ IPI that drains a remote CPU's release queue (§7 Remote unblock). */
export const IPI_LATENCY_NS = 500;
/** Upper bound of dispatch steps at one instant on one CPU before the run is declared livelocked. */
const MAX_STEPS_PER_INSTANT = 1_000_000;

/** NOVA event numbers relative to the architectural ones (§2.6): STARTUP = +0, RECALL = +1. */
export const NovaEvent = { STARTUP: 0, RECALL: 1 } as const;

export interface EventSelectorCounts {
  /** architectural host event selectors: 32 on x86_64, 64 on aarch64 (§2.6) */
  readonly hostArch: number;
  /** architectural guest event selectors: 256 on x86_64, 64 on aarch64 */
  readonly guestArch: number;
}

export interface SimulatorOptions {
  readonly cpus: number;
  readonly policy: SchedulerPolicy;
  readonly events: EventSelectorCounts;
  /** console output (already formatted by the caller's console) */
  readonly log: (cpu: number | undefined, line: string) => void;
  readonly fault: (event: FaultEvent) => void;
  readonly tick: (cpu: number, timeNs: number) => void;
}

export interface SimulatorStats {
  hypercalls: number;
  ipcCalls: number;
  contextSwitches: number;
}

type SimEvent =
  | { readonly kind: "cpu-timer"; readonly cpu: number; readonly generation: number }
  | { readonly kind: "sm-timeout"; readonly ec: number; readonly token: number }
  | { readonly kind: "rrq"; readonly cpu: number };

/**
 * The deterministic discrete-event simulator (reference/nova.md §7): simulated nanoseconds, N
 * CPUs each with a current SC, budget timeouts at now + left, preemption when a higher-priority
 * SC becomes ready, per-CPU release queues for cross-CPU wake-ups, and EC bodies as coroutines
 * whose every resumption the simulator decides. It implements KernelRuntime, the callbacks of
 * the synchronous object layer.
 */
export class Simulator implements KernelRuntime {
  readonly stats: SimulatorStats = { hypercalls: 0, ipcCalls: 0, contextSwitches: 0 };
  readonly ecs = new Map<number, EcRuntime>();
  readonly scs = new Map<number, ScRuntime>();
  readonly ipc: IpcEngine;
  readonly semaphores: SemaphoreEngine;
  private readonly cpus: CpuRuntime[];
  private readonly queue = new EventQueue<SimEvent>();
  private objectLayer: ObjectLayer | undefined;
  private nowValue = 0;
  private nextToken = 1;
  /** CPU whose EC is executing an operation right now (the waker of remote wake-ups) */
  private executingCpu: number | undefined;
  /** code attached to the EC that the create_ec being executed makes */
  private pendingCreateCode: CreateEcCode | undefined;
  private readonly dirty = new Set<number>();

  constructor(readonly options: SimulatorOptions) {
    this.cpus = Array.from({ length: options.cpus }, (_, index) => ({
      index,
      current: undefined,
      accountedUntilNs: 0,
      timerGeneration: 0,
      rescheduleRequested: false,
      releaseQueue: [],
      lastEc: undefined,
    }));
    this.ipc = new IpcEngine(this);
    this.semaphores = new SemaphoreEngine(this);
  }

  /** the object layer is created after the runtime (it needs the runtime's callbacks) */
  attachObjectLayer(objects: ObjectLayer): void {
    this.objectLayer = objects;
  }

  get objects(): ObjectLayer {
    if (!this.objectLayer) throw new NovakitError("NK-KRN-202", "the simulator has no object layer attached");
    return this.objectLayer;
  }

  get cpuCount(): number {
    return this.cpus.length;
  }

  // ---------------------------------------------------------------- KernelRuntime

  nowNs(): number {
    return this.nowValue;
  }

  ecCreated(ecId: number): void {
    const info = this.objects.ec(ecId);
    if (!info) return;
    const ec = new EcRuntime(ecId, info.pd, info.cpu, info.kind, info.eventBase, info.utcb);
    const code = this.pendingCreateCode;
    this.pendingCreateCode = undefined;
    ec.body = code?.body;
    ec.handler = code?.handler;
    this.ecs.set(ecId, ec);
  }

  scCreated(scId: number): void {
    const info = this.objects.sc(scId);
    if (!info) return;
    const ec = this.ecs.get(info.ec);
    if (!ec) return;
    const sc = new ScRuntime(info.context, ec);
    this.scs.set(scId, sc);
    // §1.6: binding the first SC to a global EC or vCPU raises STARTUP.
    if (ec.kind !== "local" && !ec.startupRaised && ec.state === "created") {
      ec.startupRaised = true;
      ec.state = "runnable";
      ec.pending = { kind: "event", event: this.eventNumber(ec, NovaEvent.STARTUP) };
    }
    this.makeReady(sc);
  }

  recall(ecId: number, _strong: boolean): void {
    // Strong and weak differ only in whether the caller waits for the remote IPI acknowledgement;
    // in the simulator the hazard is visible to the target at once, so both just set it.
    const ec = this.ecs.get(ecId);
    if (ec && ec.state !== "dead") ec.recallPending = true;
  }

  objectDestroyed(objectId: number): void {
    const ec = this.ecs.get(objectId);
    if (ec) {
      this.kill(ec, "destroyed");
      this.ecs.delete(objectId);
    }
    const sc = this.scs.get(objectId);
    if (sc) {
      sc.destroyed = true;
      if (sc.queued === "ready") this.options.policy.dequeue(sc.context);
      sc.queued = "none";
      const cpu = this.cpus[sc.cpu];
      if (cpu && cpu.current === sc) {
        this.account(cpu);
        cpu.current = undefined;
        this.markDirty(sc.cpu);
      }
      this.scs.delete(objectId);
    }
    this.semaphores.objectDestroyed(objectId);
  }

  /** used time of an SC in ns (= STC ticks at 1 GHz), what ctrl_sc reports */
  scUsedNs(scId: number): number {
    return this.scs.get(scId)?.usedNs ?? 0;
  }

  // ---------------------------------------------------------------- boot entry points

  /** Start EC `ecId` directly at its entry (the root EC: no STARTUP event, §8.5). */
  startEc(ecId: number, body: EcBody): void {
    const ec = this.ecs.get(ecId);
    if (!ec) throw new NovakitError("NK-KRN-203", `no EC with id ${ecId} to start`);
    ec.body = body;
    ec.startupRaised = true;
    ec.state = "runnable";
    ec.pending = { kind: "start-body" };
  }

  /** Attach code to an EC made outside a userland create_ec (tests, the root task's helpers). */
  setEcCode(ecId: number, code: CreateEcCode): void {
    const ec = this.ecs.get(ecId);
    if (!ec) throw new NovakitError("NK-KRN-203", `no EC with id ${ecId}`);
    ec.body = code.body ?? ec.body;
    ec.handler = code.handler ?? ec.handler;
  }

  /**
   * Run until simulated time `endNs` (or until `stop()` says so after an event); resolves when
   * every CPU has been charged up to the time reached.
   */
  async run(endNs: number, stop: () => boolean = () => false): Promise<void> {
    for (const cpu of this.cpus) this.markDirty(cpu.index);
    await this.dispatchDirty();
    for (;;) {
      if (stop()) {
        for (const cpu of this.cpus) this.account(cpu);
        return;
      }
      const next = this.queue.peek();
      if (!next || next.timeNs > endNs) break;
      this.queue.pop();
      this.nowValue = Math.max(this.nowValue, next.timeNs);
      this.handleEvent(next.payload);
      await this.dispatchDirty();
    }
    this.nowValue = Math.max(this.nowValue, endNs);
    for (const cpu of this.cpus) this.account(cpu);
  }

  // ---------------------------------------------------------------- coroutine protocol

  /**
   * Called by the userland API: record what EC `ec` wants (consume `costNs`, then `operation`)
   * and hand control back to the simulator. The returned promise resolves when the simulator
   * resumes the EC.
   */
  request<T>(ec: EcRuntime, costNs: number, operation: PendingOperation): Promise<T> {
    const yieldToSimulator = ec.onYield;
    if (!yieldToSimulator || ec.state === "dead") {
      return Promise.reject(
        new NovakitError(
          "NK-KRN-210",
          `EC ${ec.id} used the userland API outside its turn`,
          {},
          "await every userland call before making the next one (no Promise.all over hypercalls)",
        ),
      );
    }
    return new Promise<T>((resolve) => {
      ec.deliver = resolve as (value: unknown) => void;
      ec.computeLeftNs = Math.max(0, costNs);
      ec.pending = operation;
      ec.onYield = undefined;
      yieldToSimulator();
    });
  }

  /** the coroutine of `ec` finished or failed without a request: record it and yield */
  private settle(ec: EcRuntime, activation: number, operation: PendingOperation): void {
    if (ec.activation !== activation) return;
    const yieldToSimulator = ec.onYield;
    ec.pending = operation;
    ec.computeLeftNs = 0;
    ec.onYield = undefined;
    yieldToSimulator?.();
  }

  private async runCoroutine(ec: EcRuntime, start: () => void): Promise<void> {
    const yielded = new Promise<void>((resolve) => {
      ec.onYield = resolve;
    });
    start();
    await yielded;
  }

  // ---------------------------------------------------------------- scheduling

  markDirty(cpu: number): void {
    this.dirty.add(cpu);
  }

  /** `sc` became ready (§7 enqueue rule is the policy's); remote wake-ups go via the release queue. */
  makeReady(sc: ScRuntime): void {
    if (sc.destroyed || sc.queued !== "none") return;
    const cpu = this.cpus[sc.cpu];
    if (!cpu || cpu.current === sc) return;
    sc.parkedOn = undefined;
    if (this.executingCpu !== undefined && this.executingCpu !== sc.cpu) {
      sc.queued = "release";
      cpu.releaseQueue.push(sc);
      // §7: an IPI (RRQ) only when the queue was empty
      if (cpu.releaseQueue.length === 1) this.queue.schedule(this.nowValue + IPI_LATENCY_NS, { kind: "rrq", cpu: sc.cpu });
      return;
    }
    this.enqueueLocal(sc, cpu);
  }

  private enqueueLocal(sc: ScRuntime, cpu: CpuRuntime): void {
    sc.queued = "ready";
    this.options.policy.enqueue(sc.context, this.nowValue);
    if (this.options.policy.preempts(sc.context, cpu.current?.context)) cpu.rescheduleRequested = true;
    this.markDirty(cpu.index);
  }

  /** Block the running EC (semaphore down): the SC driving it parks at the next dispatch. */
  block(ec: EcRuntime): void {
    ec.state = "blocked";
  }

  /** Unblock `ec` with `value` as the result of its pending request; parked SCs return (unblock_sc). */
  unblock(ec: EcRuntime, value: unknown): void {
    if (ec.state !== "blocked") return;
    ec.state = "runnable";
    ec.pending = { kind: "resume", value };
    ec.computeLeftNs = 0;
    this.releaseParked(ec);
  }

  releaseParked(ec: EcRuntime): void {
    const parked = ec.parkedScs.splice(0);
    for (const sc of parked) {
      sc.parkedOn = undefined;
      this.makeReady(sc);
    }
  }

  /** Resume `ec` with a result at the next dispatch of an SC that leads to it. */
  resumeWith(ec: EcRuntime, value: unknown): void {
    if (ec.state === "dead") return;
    ec.state = "runnable";
    ec.pending = { kind: "resume", value };
    ec.computeLeftNs = 0;
    this.releaseParked(ec);
  }

  scheduleTimeout(ec: EcRuntime, deadlineNs: number): number {
    const token = this.nextToken++;
    this.queue.schedule(deadlineNs, { kind: "sm-timeout", ec: ec.id, token });
    return token;
  }

  private handleEvent(event: SimEvent): void {
    switch (event.kind) {
      case "cpu-timer": {
        const cpu = this.cpus[event.cpu]!;
        if (cpu.timerGeneration !== event.generation) return;
        this.options.tick(event.cpu, this.nowValue);
        this.markDirty(event.cpu);
        return;
      }
      case "sm-timeout": {
        const ec = this.ecs.get(event.ec);
        if (ec && ec.timeoutToken === event.token) this.semaphores.timeout(ec);
        return;
      }
      case "rrq": {
        const cpu = this.cpus[event.cpu]!;
        for (const sc of cpu.releaseQueue.splice(0)) {
          sc.queued = "none";
          if (!sc.destroyed) this.enqueueLocal(sc, cpu);
        }
        return;
      }
    }
  }

  private async dispatchDirty(): Promise<void> {
    while (this.dirty.size > 0) {
      const cpu = Math.min(...this.dirty);
      this.dirty.delete(cpu);
      await this.dispatchCpu(this.cpus[cpu]!);
    }
  }

  /** Charge the CPU's current SC (and the EC it drives) for the time since the last charge. */
  private account(cpu: CpuRuntime): void {
    const elapsed = this.nowValue - cpu.accountedUntilNs;
    cpu.accountedUntilNs = this.nowValue;
    const sc = cpu.current;
    if (!sc || elapsed <= 0) return;
    const ec = this.activity(sc, false);
    if (ec.state !== "runnable" || ec.computeLeftNs <= 0) return;
    const charged = Math.min(elapsed, ec.computeLeftNs, Math.max(sc.leftNs, 0));
    sc.usedNs += charged;
    sc.leftNs -= charged;
    ec.computeLeftNs -= charged;
  }

  private async dispatchCpu(cpu: CpuRuntime): Promise<void> {
    this.account(cpu);
    const policy = this.options.policy;
    for (let step = 0; ; step++) {
      if (step > MAX_STEPS_PER_INSTANT) {
        throw new NovakitError(
          "NK-KRN-204",
          `CPU ${cpu.index} made no progress at ${this.nowValue} ns (livelock in the simulated system)`,
        );
      }
      let sc = cpu.current;
      if (sc && cpu.rescheduleRequested) {
        cpu.current = undefined;
        this.enqueueLocal(sc, cpu);
        sc = undefined;
      }
      cpu.rescheduleRequested = false;
      if (!sc) {
        const picked = policy.pickNext(cpu.index, this.nowValue);
        if (!picked) {
          cpu.timerGeneration++;
          return;
        }
        sc = this.scs.get(picked.id);
        if (!sc) continue;
        sc.queued = "none";
        cpu.current = sc;
        if (sc.leftNs <= 0) {
          throw new NovakitError(
            "NK-KRN-205",
            `scheduler policy "${policy.name}" picked SC ${sc.id} with no budget left`,
            {},
            "a policy must refill leftNs to budgetNs when an SC with leftNs = 0 is enqueued (NOVA's scheduler: an SC whose budget is used up is refilled when it is enqueued again)",
          );
        }
      }
      if (sc.leftNs <= 0) {
        // budget expired: to the tail with a refill (the policy's enqueue rule)
        sc.leftNs = 0;
        cpu.current = undefined;
        this.enqueueLocal(sc, cpu);
        cpu.rescheduleRequested = false;
        continue;
      }
      const ec = this.activity(sc, true);
      if (ec.state !== "runnable" || (ec.pending === undefined && ec.computeLeftNs <= 0)) {
        // §7 donation: the SC parks on the blocked EC until it unblocks
        cpu.current = undefined;
        if (ec.state !== "dead" && ec.state !== "finished") {
          sc.parkedOn = ec;
          ec.parkedScs.push(sc);
        }
        continue;
      }
      if (cpu.lastEc !== ec.id) {
        if (cpu.lastEc !== undefined) this.stats.contextSwitches++;
        cpu.lastEc = ec.id;
      }
      if (ec.computeLeftNs > 0) {
        const generation = ++cpu.timerGeneration;
        this.queue.schedule(this.nowValue + Math.min(ec.computeLeftNs, sc.leftNs), {
          kind: "cpu-timer",
          cpu: cpu.index,
          generation,
        });
        return;
      }
      this.executingCpu = cpu.index;
      try {
        await this.perform(ec);
      } finally {
        this.executingCpu = undefined;
      }
    }
  }

  /**
   * The EC an SC drives (§7 Donation and helping): follow callees to the end of the chain; a
   * helper whose busy callee became free retries its call, a helper of a dead callee gets ABORTED.
   */
  activity(sc: ScRuntime, mayResolveHelping: boolean): EcRuntime {
    let ec = sc.ec;
    const visited = new Set<EcRuntime>();
    for (;;) {
      // a helping cycle ends at the EC that closes it: its retry costs time, so it spins on the budget
      if (visited.has(ec)) return ec;
      visited.add(ec);
      if (ec.callee) {
        ec = ec.callee;
        continue;
      }
      const target = ec.helping;
      if (target) {
        if (target.state === "dead") {
          if (mayResolveHelping) {
            ec.helping = undefined;
            ec.pending = { kind: "resume", value: { status: Status.ABORTED, results: [] } };
            ec.computeLeftNs = 0;
          }
          return ec;
        }
        if (!target.caller && target.state === "idle") {
          if (mayResolveHelping) ec.helping = undefined;
          return ec;
        }
        ec = target;
        continue;
      }
      return ec;
    }
  }

  // ---------------------------------------------------------------- operations

  private async perform(ec: EcRuntime): Promise<void> {
    const operation = ec.pending;
    if (!operation) return;
    ec.pending = undefined;
    if (ec.recallPending && (operation.kind === "resume" || operation.kind === "hypercall")) {
      // the RECALL hazard is acted on at the next kernel exit (§2.4 ctrl_ec)
      ec.recallPending = false;
      ec.pending = { kind: "event", event: this.eventNumber(ec, NovaEvent.RECALL) };
      ec.afterEvent = operation;
      return;
    }
    switch (operation.kind) {
      case "resume": {
        const deliver = ec.deliver;
        ec.deliver = undefined;
        if (deliver) await this.runCoroutine(ec, () => deliver(operation.value));
        else ec.state = "finished";
        return;
      }
      case "start-body":
        return this.startBody(ec);
      case "start-handler":
        return this.startHandler(ec, operation.call);
      case "hypercall": {
        const result = this.executeHypercall(ec, operation.identifier, operation.selector, operation.args, operation.create);
        if (result) ec.pending = { kind: "resume", value: result };
        return;
      }
      case "reply":
        this.ipc.reply(ec, operation.mtd);
        return;
      case "event": {
        const isStartup = operation.event === this.eventNumber(ec, NovaEvent.STARTUP);
        const after: PendingOperation =
          ec.afterEvent ?? (isStartup ? { kind: "start-body" } : { kind: "resume", value: undefined });
        ec.afterEvent = undefined;
        this.ipc.raiseEvent(ec, operation.event, after);
        return;
      }
      case "exit":
        ec.state = "finished";
        return;
      case "crash":
        this.kill(ec, operation.message);
        return;
    }
  }

  /** NOVA event `event` (STARTUP/RECALL) as a selector offset for this EC kind (§2.6). */
  eventNumber(ec: EcRuntime, event: number): number {
    return (ec.kind === "vcpu" ? this.options.events.guestArch : this.options.events.hostArch) + event;
  }

  private executeHypercall(
    ec: EcRuntime,
    identifier: number,
    selector: bigint,
    args: readonly bigint[],
    create: CreateEcCode | undefined,
  ): HypercallResult | undefined {
    this.stats.hypercalls++;
    const number = identifier & 0xf;
    const flags = (identifier >> 4) & 0xf;
    if (number === Hypercall.ipc_call) return this.ipc.call(ec, selector, flags, args[0] ?? 0n);
    if (number === Hypercall.ipc_reply) {
      this.ipc.reply(ec, args[0] ?? 0n);
      return undefined;
    }
    if (number === Hypercall.ctrl_sm) return this.semaphores.control(ec, selector, flags, args[0] ?? 0n);
    this.pendingCreateCode = create;
    try {
      return this.objects.hypercall(ec.id, identifier, selector, args);
    } finally {
      this.pendingCreateCode = undefined;
    }
  }

  private async startBody(ec: EcRuntime): Promise<void> {
    const body = ec.body;
    if (!body) {
      ec.state = "finished";
      return;
    }
    const activation = ++ec.activation;
    ec.state = "runnable";
    await this.runCoroutine(ec, () => {
      const api = this.userland(ec);
      body(api).then(
        () => this.settle(ec, activation, { kind: "exit" }),
        (error: unknown) => this.settle(ec, activation, { kind: "crash", message: errorMessage(error) }),
      );
    });
  }

  private async startHandler(ec: EcRuntime, call: PortalCall): Promise<void> {
    const handler = ec.handler;
    if (!handler) {
      // a local EC without code faults at the portal IP: the partner sees ABORTED (§2.4)
      this.kill(ec, `no handler for portal IP 0x${call.ip.toString(16)}`);
      return;
    }
    const activation = ++ec.activation;
    await this.runCoroutine(ec, () => {
      const api = this.userland(ec);
      handler(api, call).then(
        (mtd) => this.settle(ec, activation, { kind: "reply", mtd: BigInt(mtd) }),
        (error: unknown) => this.settle(ec, activation, { kind: "crash", message: errorMessage(error) }),
      );
    });
  }

  /** set by the kernel: builds the userland API of an EC */
  userlandFactory: ((ec: EcRuntime) => UserlandApi) | undefined;

  private userland(ec: EcRuntime): UserlandApi {
    if (!this.userlandFactory) throw new NovakitError("NK-KRN-202", "the simulator has no userland API factory");
    return this.userlandFactory(ec);
  }

  /** Kill `ec`: partners see ABORTED, parked SCs return to the scheduler, a fault is reported. */
  kill(ec: EcRuntime, reason: string): void {
    if (ec.state === "dead") return;
    const cpu = this.cpus[ec.cpu];
    if (cpu) this.account(cpu);
    ec.state = "dead";
    ec.activation++;
    ec.pending = undefined;
    ec.computeLeftNs = 0;
    ec.deliver = undefined;
    ec.helping = undefined;
    this.semaphores.forget(ec);
    const caller = ec.caller;
    ec.caller = undefined;
    if (caller) {
      caller.callee = undefined;
      if (ec.servingEvent) {
        ec.servingEvent = false;
        this.kill(caller, `its event handler EC ${ec.id} died`);
      } else {
        this.resumeWith(caller, { status: Status.ABORTED, results: [] });
      }
    }
    if (ec.callee) {
      ec.callee.caller = undefined;
      ec.callee = undefined;
    }
    this.releaseParked(ec);
    if (reason !== "destroyed") {
      this.options.log(ec.cpu, `EC:${ec.id} killed: ${reason}`);
      this.options.fault({ kind: "exception", timeNs: this.nowValue, cpu: ec.cpu, detail: `EC ${ec.id} killed: ${reason}` });
    }
    this.markDirty(ec.cpu);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
