import { SeededRandom } from "@novakit/kernel-core";
import { runHypercallPrograms, type HypercallRunReport } from "./program-runner.js";
import { StatusHistogram } from "./status-histogram.js";

export interface CampaignOptions {
  /** seed of the program generator (and of the kernels) */
  readonly seed: number;
  /** stop after this many programs ... */
  readonly maxPrograms: number;
  /** ... or once this much wall-clock time has passed (checked between boots) */
  readonly timeLimitMs: number;
  /** program length in bytes: uniformly in [minBytes, maxBytes) */
  readonly minBytes?: number;
  readonly maxBytes?: number;
  readonly programsPerBoot?: number;
}

export interface CampaignReport {
  readonly seed: number;
  readonly programs: number;
  readonly steps: number;
  readonly skippedSteps: number;
  readonly violations: number;
  readonly leaks: number;
  /** errors thrown out of a batch (KernelFault, a driver error): unhandled exceptions */
  readonly unhandled: readonly string[];
  readonly wallMs: number;
  readonly stepsPerSecond: number;
  readonly checks: number;
  readonly checkMsPerCheck: number;
  readonly histogram: StatusHistogram;
  readonly firstViolations: readonly string[];
  /** the first few WorldLeak messages */
  readonly firstLeaks: readonly string[];
}

/** `count` random programs from `random` (what the campaign and the tests feed the fuzzer) */
export function randomPrograms(random: SeededRandom, count: number, minBytes: number, maxBytes: number): Uint8Array[] {
  const programs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(minBytes + (random.nextU32() % Math.max(1, maxBytes - minBytes)));
    for (let j = 0; j < bytes.length; j++) bytes[j] = random.nextU32() & 0xff;
    programs.push(bytes);
  }
  return programs;
}

/**
 * A long run of random programs (the brief's proof run): batches of programs until the program
 * or time budget is spent, counting violations, leaks and unhandled exceptions. Wall-clock time
 * is read here only to bound and report the run; nothing in the kernel sees it.
 */
export async function runHypercallCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const random = new SeededRandom(options.seed);
  const perBoot = options.programsPerBoot ?? 200;
  const histogram = new StatusHistogram();
  const unhandled: string[] = [];
  const firstViolations: string[] = [];
  const firstLeaks: string[] = [];
  const totals = { programs: 0, steps: 0, skipped: 0, violations: 0, leaks: 0, checks: 0, checkMs: 0 };
  const started = performance.now();
  while (totals.programs < options.maxPrograms && performance.now() - started < options.timeLimitMs) {
    const count = Math.min(perBoot, options.maxPrograms - totals.programs);
    const programs = randomPrograms(random, count, options.minBytes ?? 100, options.maxBytes ?? 1500);
    let report: HypercallRunReport | undefined;
    try {
      report = await runHypercallPrograms(programs, { seed: options.seed + totals.programs, programsPerBoot: perBoot });
    } catch (error) {
      unhandled.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    totals.programs += count;
    if (report === undefined) continue;
    totals.steps += report.steps;
    totals.skipped += report.skippedSteps;
    totals.violations += report.violations.length;
    totals.leaks += report.leaks.length;
    totals.checks += report.checks;
    totals.checkMs += report.checkMs;
    histogram.merge(report.statusHistogram);
    for (const violation of report.violations.slice(0, Math.max(0, 5 - firstViolations.length))) firstViolations.push(violation.message);
    for (const leak of report.leaks.slice(0, Math.max(0, 5 - firstLeaks.length))) firstLeaks.push(leak);
  }
  const wallMs = performance.now() - started;
  return {
    seed: options.seed,
    programs: totals.programs,
    steps: totals.steps,
    skippedSteps: totals.skipped,
    violations: totals.violations,
    leaks: totals.leaks,
    unhandled,
    wallMs,
    stepsPerSecond: (totals.steps * 1000) / wallMs,
    checks: totals.checks,
    checkMsPerCheck: totals.checks === 0 ? 0 : totals.checkMs / totals.checks,
    histogram,
    firstViolations,
    firstLeaks,
  };
}
