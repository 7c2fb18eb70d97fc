import type { SchedulableContext } from "@novakit/kernel-core";

/**
 * How an SC's deadline comes from its budget. Deadlines are *virtual*: they are measured on a
 * per-CPU, per-priority clock V that is the deadline of the SC most recently picked in that
 * priority class (0 at first), not in wall-clock simulated time. Each SC is a server with budget
 * Q = budgetNs and period T = Q:
 *
 * - Budget used up (leftNs ≤ 0): refill to Q, d = max(d_prev, V) + T. A busy SC's deadline thus
 *   advances T for each Q it runs, so busy SCs of one priority get equal shares of the CPU;
 *   the budget sets how long an SC runs before the others get a turn, not how much it gets.
 * - Budget left and a known deadline (it was preempted, or blocked with budget left):
 *   d = max(d_prev, V); the budget is kept.
 * - No known deadline (a new SC, or one the kernel dequeued): d = V + T, budget kept if any.
 * - Priority 0 (the idle SC) has no deadline (+Infinity): it runs only when nothing else can.
 *
 * Why virtual: with wall-clock deadlines (now + T) a CPU that is overloaded (every SC here asks
 * for 100%) pushes the deadlines of busy SCs behind `now`, so a newly created SC (now + T)
 * would starve until they catch up, and an SC waking from a long block (old deadline) would
 * monopolise the CPU. The max with V gives both the current virtual time instead: no credit is
 * saved up while blocked and nobody is pushed to the back.
 */
export function deadlineOnEnqueue(
  sc: SchedulableContext,
  previousDeadlineNs: number | undefined,
  virtualNowNs: number,
): { readonly deadlineNs: number; readonly refill: boolean } {
  const refill = sc.leftNs <= 0;
  if (sc.priority === 0) return { deadlineNs: Number.POSITIVE_INFINITY, refill };
  if (previousDeadlineNs === undefined) return { deadlineNs: virtualNowNs + sc.budgetNs, refill };
  const base = Math.max(previousDeadlineNs, virtualNowNs);
  return { deadlineNs: refill ? base + sc.budgetNs : base, refill };
}
