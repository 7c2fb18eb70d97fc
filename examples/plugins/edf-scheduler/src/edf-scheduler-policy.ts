import type { SchedulableContext, SchedulerPolicy } from "@novakit/kernel-core";
import { EdfCpuQueue } from "./edf-cpu-queue.js";
import { checkCpu, checkCpuCount, checkSc, crossCpuPreemption } from "./edf-diagnostics.js";

/**
 * Earliest deadline first, per CPU, inside NOVA's priority classes (deadline-rule.ts documents
 * how a deadline comes from the budget). O(log n) per operation with an indexed binary heap.
 */
export class EdfSchedulerPolicy implements SchedulerPolicy {
  readonly name = "earliest-deadline-first";
  private readonly cpus: readonly EdfCpuQueue[];

  constructor(readonly cpuCount: number) {
    checkCpuCount(cpuCount);
    this.cpus = Array.from({ length: cpuCount }, () => new EdfCpuQueue());
  }

  /** Deadlines are virtual (deadline-rule.ts), so the wall-clock time is not needed. */
  enqueue(sc: SchedulableContext, _nowNs: number): void {
    checkSc(sc, this.cpuCount);
    this.cpus[sc.cpu]!.enqueue(sc);
  }

  dequeue(sc: SchedulableContext): void {
    checkCpu(sc.cpu, this.cpuCount, `sc[${sc.id}].cpu`);
    this.cpus[sc.cpu]!.forget(sc.id);
  }

  pickNext(cpu: number, _nowNs: number): SchedulableContext | undefined {
    checkCpu(cpu, this.cpuCount, "pickNext.cpu");
    return this.cpus[cpu]!.takeNext()?.sc;
  }

  /**
   * A higher priority class, or the same class with a strictly earlier deadline. Within a class
   * this is rare by construction: an SC that becomes ready gets a deadline at or after the
   * virtual time, which is the running SC's deadline; it waits for the running SC's budget.
   */
  preempts(incoming: SchedulableContext, current: SchedulableContext | undefined): boolean {
    if (current === undefined) return true;
    if (incoming.cpu !== current.cpu) throw crossCpuPreemption(incoming, current);
    if (incoming.id === current.id) return false;
    if (incoming.priority !== current.priority) return incoming.priority > current.priority;
    checkCpu(incoming.cpu, this.cpuCount, `sc[${incoming.id}].cpu`);
    const queue = this.cpus[incoming.cpu]!;
    return queue.effectiveDeadline(incoming) < queue.currentDeadline(current);
  }

  /** The absolute deadline the policy holds for an SC (ready or running), for tests and reports. */
  deadlineOf(sc: SchedulableContext): number | undefined {
    checkCpu(sc.cpu, this.cpuCount, `sc[${sc.id}].cpu`);
    return this.cpus[sc.cpu]!.deadlineOf(sc.id);
  }

  /** The virtual time of a priority class on `cpu` (deadline-rule.ts). */
  virtualTime(cpu: number, priority: number): number {
    checkCpu(cpu, this.cpuCount, "cpu");
    return this.cpus[cpu]!.virtualTime(priority);
  }

  readyCount(cpu: number): number {
    checkCpu(cpu, this.cpuCount, "cpu");
    return this.cpus[cpu]!.readyCount;
  }
}
