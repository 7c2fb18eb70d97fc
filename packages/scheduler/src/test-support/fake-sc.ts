import type { SchedulableContext } from "@novakit/kernel-core";

/** A kernel-side SC as the policy sees it; mutable so a test can charge budget like the kernel. */
export interface FakeSc extends SchedulableContext {
  usedNs: number;
}

export function fakeSc(id: number, priority: number, budgetNs: number, overrides: Partial<FakeSc> = {}): FakeSc {
  return { id, cpu: 0, priority, budgetNs, leftNs: 0, usedNs: 0, ...overrides };
}
