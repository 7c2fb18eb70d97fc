import { NovakitError } from "@novakit/kernel-core";
import type { SchedulableContext } from "@novakit/kernel-core";
import { NOVA_HIGHEST_PRIORITY } from "./priority-bitmap.js";

/**
 * The diagnostic codes of @novakit/scheduler. Every one reports a kernel handing the policy
 * something NOVA itself would assert on (src/scheduler.cpp), so the message names the SC.
 */
export const SchedulerDiagnostic = Object.freeze({
  PRIORITY_OUT_OF_RANGE: "NK-SCH-001",
  CPU_OUT_OF_RANGE: "NK-SCH-002",
  ALREADY_QUEUED: "NK-SCH-003",
  INVALID_BUDGET: "NK-SCH-004",
  INVALID_CPU_COUNT: "NK-SCH-005",
  CROSS_CPU_PREEMPTION: "NK-SCH-006",
} as const);

const WHERE = "@novakit/scheduler";

export function describeSc(sc: SchedulableContext): string {
  return `sc[${sc.id}]`;
}

export function checkCpuIndex(cpu: number, cpuCount: number, field: string): void {
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpuCount) {
    throw new NovakitError(
      SchedulerDiagnostic.CPU_OUT_OF_RANGE,
      `CPU ${cpu} is outside this scheduler's ${cpuCount} CPU(s)`,
      { file: WHERE, field },
      "the policy was created for the CPU count of the platform; an SC's CPU is fixed for life (nova.md §7)",
    );
  }
}

/** What NOVA asserts on enqueue: a valid priority, the right CPU, a usable budget. */
export function checkEnqueueable(sc: SchedulableContext, cpuCount: number): void {
  const name = describeSc(sc);
  if (!Number.isInteger(sc.priority) || sc.priority < 0 || sc.priority > NOVA_HIGHEST_PRIORITY) {
    throw new NovakitError(
      SchedulerDiagnostic.PRIORITY_OUT_OF_RANGE,
      `${name} has priority ${sc.priority}; NOVA has priorities 0..${NOVA_HIGHEST_PRIORITY}`,
      { file: WHERE, field: `${name}.priority` },
    );
  }
  checkCpuIndex(sc.cpu, cpuCount, `${name}.cpu`);
  if (!Number.isFinite(sc.budgetNs) || sc.budgetNs <= 0) {
    throw new NovakitError(
      SchedulerDiagnostic.INVALID_BUDGET,
      `${name} has budget ${sc.budgetNs} ns; a budget must be a positive number of ns`,
      { file: WHERE, field: `${name}.budgetNs` },
      "create_sc rejects budget 0 with BAD_PAR (nova.md §2.4)",
    );
  }
  if (!Number.isFinite(sc.leftNs)) {
    throw new NovakitError(
      SchedulerDiagnostic.INVALID_BUDGET,
      `${name} has ${sc.leftNs} ns of budget left; expected a finite number`,
      { file: WHERE, field: `${name}.leftNs` },
    );
  }
}

export function alreadyQueued(sc: SchedulableContext): NovakitError {
  const name = describeSc(sc);
  return new NovakitError(
    SchedulerDiagnostic.ALREADY_QUEUED,
    `${name} is already in a ready queue of CPU ${sc.cpu}; an SC is enqueued once until it is picked or dequeued`,
    { file: WHERE, field: name },
  );
}

export function checkCpuCount(cpus: number): void {
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new NovakitError(
      SchedulerDiagnostic.INVALID_CPU_COUNT,
      `a scheduler was requested for ${cpus} CPU(s); expected a whole number of at least 1`,
      { file: WHERE, field: "request.cpus" },
    );
  }
}

export function crossCpuPreemption(incoming: SchedulableContext, current: SchedulableContext): NovakitError {
  return new NovakitError(
    SchedulerDiagnostic.CROSS_CPU_PREEMPTION,
    `${describeSc(incoming)} on CPU ${incoming.cpu} cannot preempt ${describeSc(current)} on CPU ${current.cpu}`,
    { file: WHERE, field: describeSc(incoming) },
    "a remote wake-up goes through the target CPU's release queue (nova.md §7); decide there",
  );
}
