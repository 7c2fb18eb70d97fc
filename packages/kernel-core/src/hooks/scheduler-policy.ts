/**
 * The scheduler is a plugin. The kernel owns scheduling contexts, budgets and time; the policy
 * owns the ready queues and decides who runs next (reference/nova.md §7).
 */
export interface SchedulableContext {
  /** kernel object id of the SC */
  readonly id: number;
  readonly cpu: number;
  /** 0..127; 0 is the idle SC */
  readonly priority: number;
  /** full budget in ns (SCD budget ms converted) */
  readonly budgetNs: number;
  /** budget remaining in ns; the kernel charges it, the policy refills it */
  leftNs: number;
  /** total time consumed, what ctrl_sc reports */
  readonly usedNs: number;
}

export interface SchedulerPolicy {
  readonly name: string;
  /** `sc` became ready: created, unblocked, or preempted (then leftNs > 0) / expired (leftNs = 0). */
  enqueue(sc: SchedulableContext, nowNs: number): void;
  /** `sc` leaves its ready queue (it blocked or was destroyed while queued). */
  dequeue(sc: SchedulableContext): void;
  /** Remove and return the SC to run next on `cpu`, or undefined when none is ready. */
  pickNext(cpu: number, nowNs: number): SchedulableContext | undefined;
  /** Whether a newly ready `incoming` should preempt `current` on its CPU right away. */
  preempts(incoming: SchedulableContext, current: SchedulableContext | undefined): boolean;
}

export interface SchedulerRequest {
  readonly cpus: number;
}
