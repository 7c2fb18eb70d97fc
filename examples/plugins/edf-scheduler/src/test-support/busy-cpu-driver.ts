import type { SchedulableContext, SchedulerPolicy } from "@novakit/kernel-core";

export interface DrivenSc extends SchedulableContext {
  usedNs: number;
}

export function drivenSc(id: number, priority: number, budgetNs: number, cpu = 0): DrivenSc {
  return { id, cpu, priority, budgetNs, leftNs: 0, usedNs: 0 };
}

/**
 * A minimal model of a kernel's schedule loop on one CPU with SCs that never block: pick, run
 * for the remaining budget (or until the end), charge, re-enqueue. Returns the run order.
 */
export function runBusy(policy: SchedulerPolicy, scs: readonly DrivenSc[], durationNs: number): number[] {
  const order: number[] = [];
  let now = 0;
  for (const sc of scs) policy.enqueue(sc, now);
  while (now < durationNs) {
    const current = policy.pickNext(0, now) as DrivenSc | undefined;
    if (current === undefined) break;
    const ran = Math.min(current.leftNs, durationNs - now);
    order.push(current.id);
    now += ran;
    current.leftNs -= ran;
    current.usedNs += ran;
    policy.enqueue(current, now);
  }
  return order;
}
