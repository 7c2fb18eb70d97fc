import type { SchedulableContext, SchedulerPolicy } from "@novakit/kernel-core";
import { CpuReadyQueues } from "./cpu-ready-queues.js";
import {
  checkCpuCount,
  checkCpuIndex,
  checkEnqueueable,
  crossCpuPreemption,
} from "./scheduler-diagnostics.js";

export interface NovaSchedulerPolicyOptions {
  /** receives one line per scheduling decision; omit for no tracing */
  readonly trace?: (line: string) => void;
}

/**
 * NOVA's scheduler (reference/nova.md §7; src/scheduler.cpp): partitioned per CPU, fixed
 * priorities 0..127, round robin within a priority with the SC budget as the time slice.
 * Every operation is O(1): a bitmap finds the highest ready priority and each SC's queue node
 * is found by id.
 *
 * The kernel keeps time, charges `leftNs`/`usedNs` and arms the budget timeout; this policy only
 * orders the ready SCs and refills the budget of an SC that comes back with none left.
 */
export class NovaSchedulerPolicy implements SchedulerPolicy {
  readonly name = "nova-fixed-priority-round-robin";
  private readonly cpus: readonly CpuReadyQueues[];
  private readonly trace: ((line: string) => void) | undefined;

  constructor(
    readonly cpuCount: number,
    options: NovaSchedulerPolicyOptions = {},
  ) {
    checkCpuCount(cpuCount);
    this.cpus = Array.from({ length: cpuCount }, () => new CpuReadyQueues());
    this.trace = options.trace;
  }

  enqueue(sc: SchedulableContext, nowNs: number): void {
    checkEnqueueable(sc, this.cpuCount);
    const arrivedWithBudgetLeft = sc.leftNs > 0;
    this.cpus[sc.cpu]!.enqueue(sc);
    this.trace?.(
      `sched ${nowNs}: cpu ${sc.cpu} enqueue sc ${sc.id} prio ${sc.priority} at ${arrivedWithBudgetLeft ? "head" : "tail"} left ${sc.leftNs}`,
    );
  }

  /**
   * Removing an SC that is not queued is a no-op: the kernel calls this when an SC blocks, and
   * the running SC is not in a ready queue (pickNext took it out), just as in NOVA, where only
   * ready SCs sit in the queues.
   */
  dequeue(sc: SchedulableContext): void {
    checkCpuIndex(sc.cpu, this.cpuCount, `sc[${sc.id}].cpu`);
    if (this.cpus[sc.cpu]!.remove(sc.id)) this.trace?.(`sched: cpu ${sc.cpu} dequeue sc ${sc.id}`);
  }

  pickNext(cpu: number, nowNs: number): SchedulableContext | undefined {
    checkCpuIndex(cpu, this.cpuCount, "pickNext.cpu");
    const next = this.cpus[cpu]!.takeNext();
    if (next !== undefined) {
      this.trace?.(`sched ${nowNs}: cpu ${cpu} picks sc ${next.id} prio ${next.priority} left ${next.leftNs}`);
    }
    return next;
  }

  /**
   * NOVA's SCHED hazard condition (src/scheduler.cpp, Ready::enqueue): the incoming SC has a
   * higher priority than the current one, or the same priority with budget left when it became
   * ready and it is not the current SC itself. "Budget left" is the value before the refill, so
   * the answer is the same whether the kernel asks before or after enqueueing `incoming`.
   */
  preempts(incoming: SchedulableContext, current: SchedulableContext | undefined): boolean {
    if (current === undefined) return true;
    if (incoming.cpu !== current.cpu) throw crossCpuPreemption(incoming, current);
    if (incoming.priority > current.priority) return true;
    if (incoming.priority < current.priority || incoming.id === current.id) return false;
    const node = this.cpus[incoming.cpu]?.find(incoming.id);
    return node !== undefined ? node.arrivedWithBudgetLeft : incoming.leftNs > 0;
  }

  // ---- inspection (tests, tracing, `novakit report`) ----

  /** The highest priority with a ready SC on `cpu`, or -1 when none is ready. */
  highestReadyPriority(cpu: number): number {
    checkCpuIndex(cpu, this.cpuCount, "cpu");
    return this.cpus[cpu]!.highestReadyPriority();
  }

  /** How many SCs are ready on `cpu`. */
  readyCount(cpu: number): number {
    checkCpuIndex(cpu, this.cpuCount, "cpu");
    return this.cpus[cpu]!.size;
  }

  /** The ids of the ready SCs of one priority on `cpu`, head first. */
  readyIds(cpu: number, priority: number): number[] {
    checkCpuIndex(cpu, this.cpuCount, "cpu");
    return this.cpus[cpu]!.idsAt(priority);
  }
}
