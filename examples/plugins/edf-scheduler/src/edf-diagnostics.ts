import { NovakitError, type SchedulableContext } from "@novakit/kernel-core";

/** Diagnostic codes of novakit-plugin-edf-scheduler (prefix NK-EXP, 010..019). */
export const EdfDiagnostic = Object.freeze({
  INVALID_SC: "NK-EXP-010",
  ALREADY_QUEUED: "NK-EXP-011",
  INVALID_CPU_COUNT: "NK-EXP-012",
  CROSS_CPU_PREEMPTION: "NK-EXP-013",
  CPU_OUT_OF_RANGE: "NK-EXP-014",
} as const);

const WHERE = "novakit-plugin-edf-scheduler";

export function checkCpuCount(cpus: number): void {
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new NovakitError(
      EdfDiagnostic.INVALID_CPU_COUNT,
      `an EDF scheduler was requested for ${cpus} CPU(s); expected a whole number of at least 1`,
      { file: WHERE, field: "request.cpus" },
    );
  }
}

export function checkCpu(cpu: number, cpuCount: number, field: string): void {
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpuCount) {
    throw new NovakitError(
      EdfDiagnostic.CPU_OUT_OF_RANGE,
      `CPU ${cpu} is outside this scheduler's ${cpuCount} CPU(s)`,
      { file: WHERE, field },
    );
  }
}

export function checkSc(sc: SchedulableContext, cpuCount: number): void {
  const name = `sc[${sc.id}]`;
  const problem =
    !Number.isInteger(sc.priority) || sc.priority < 0 || sc.priority > 127
      ? `priority ${sc.priority} is outside 0..127`
      : !Number.isFinite(sc.budgetNs) || sc.budgetNs <= 0
        ? `budget ${sc.budgetNs} ns is not a positive number`
        : !Number.isFinite(sc.leftNs)
          ? `remaining budget ${sc.leftNs} ns is not a finite number`
          : undefined;
  if (problem !== undefined) {
    throw new NovakitError(EdfDiagnostic.INVALID_SC, `${name}: ${problem}`, { file: WHERE, field: name });
  }
  checkCpu(sc.cpu, cpuCount, `${name}.cpu`);
}

export function alreadyQueued(sc: SchedulableContext): NovakitError {
  return new NovakitError(
    EdfDiagnostic.ALREADY_QUEUED,
    `sc[${sc.id}] is already ready on CPU ${sc.cpu}; it is enqueued once until picked or dequeued`,
    { file: WHERE, field: `sc[${sc.id}]` },
  );
}

export function crossCpuPreemption(incoming: SchedulableContext, current: SchedulableContext): NovakitError {
  return new NovakitError(
    EdfDiagnostic.CROSS_CPU_PREEMPTION,
    `sc[${incoming.id}] on CPU ${incoming.cpu} cannot preempt sc[${current.id}] on CPU ${current.cpu}`,
    { file: WHERE, field: `sc[${incoming.id}]` },
  );
}
