import { AllocationFaultPlan, createKernel, NovakitError, type BootResult, type NovakitKernel } from "@novakit/kernel-core";
import type { PreparedConfiguration } from "@novakit/cli";
import { accountingLeaks, type AccountingLeak } from "./kernel-accounting.js";

/** How one boot with an injected allocation failure ended. */
export type InjectionOutcome =
  /** a hypercall returned this status and the root task / workload surfaced it */
  | { readonly kind: "status"; readonly status: "MEM_OBJ" | "MEM_CAP"; readonly code: string; readonly message: string }
  /** the boot stopped with a NovakitError naming the failed allocation */
  | { readonly kind: "error"; readonly code: string; readonly message: string }
  /** the boot completed and its log or results say what failed */
  | { readonly kind: "surfaced"; readonly line: string }
  /** the boot completed and nothing says an allocation failed (an unclean outcome) */
  | { readonly kind: "silent" }
  /** anything thrown that is not a NovakitError (an unclean outcome) */
  | { readonly kind: "unhandled"; readonly message: string };

export interface InjectionResult {
  /** 1-based index of the allocation that was failed */
  readonly k: number;
  readonly site: string;
  readonly outcome: InjectionOutcome;
  readonly leaks: readonly AccountingLeak[];
}

export interface AllocationCount {
  /** allocation decisions of an undisturbed boot, in order */
  readonly sites: readonly string[];
  readonly result: BootResult;
}

/** Boot once with a plan; the kernel is returned so its state can be inspected afterwards. */
async function bootWith(prepared: PreparedConfiguration, plan: AllocationFaultPlan): Promise<{ kernel: NovakitKernel; boot: Promise<BootResult> }> {
  const kernel = createKernel({
    config: prepared.config,
    plugins: prepared.requests,
    configDir: prepared.source.dir,
    configFile: prepared.source.label,
    allocationPolicy: plan,
  });
  return { kernel, boot: kernel.boot() };
}

/** A counting run: every allocation of the undisturbed boot, by site. */
export async function countAllocations(prepared: PreparedConfiguration): Promise<AllocationCount> {
  const plan = new AllocationFaultPlan();
  const { boot } = await bootWith(prepared, plan);
  const result = await boot;
  return { sites: plan.allocations.map((record) => record.site), result };
}

const STATUS_PATTERN = /\b(MEM_OBJ|MEM_CAP)\b/;

/**
 * Boot with allocation k failed (and, with `failAllAfter`, every later one) and classify the end:
 * a NovakitError is clean (its message names the status when a hypercall returned MEM_OBJ/MEM_CAP,
 * else the site's own code), a completed boot must say in its log what failed, anything else
 * thrown is unhandled. Then the leak check runs on whatever state the kernel was left in.
 */
export async function injectAt(prepared: PreparedConfiguration, k: number, failAllAfter = false): Promise<InjectionResult> {
  const plan = new AllocationFaultPlan({ failAt: k, failAllAfter });
  let outcome: InjectionOutcome;
  let kernel: NovakitKernel | undefined;
  try {
    const started = await bootWith(prepared, plan);
    kernel = started.kernel;
    const result = await started.boot;
    const line = result.log.find((entry) => STATUS_PATTERN.test(entry) || /out of (kernel )?memory|exhausted/i.test(entry));
    outcome = line !== undefined ? { kind: "surfaced", line } : { kind: "silent" };
  } catch (error) {
    if (error instanceof NovakitError) {
      const status = STATUS_PATTERN.exec(error.message)?.[1];
      outcome =
        status === "MEM_OBJ" || status === "MEM_CAP"
          ? { kind: "status", status, code: error.code, message: error.message }
          : { kind: "error", code: error.code, message: error.message };
    } else {
      outcome = { kind: "unhandled", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }
  const state = kernel?.internals.state;
  const leaks = state === undefined ? [] : accountingLeaks(state, plan);
  const site = plan.allocations[k - 1]?.site ?? "(not reached)";
  return { k, site, outcome, leaks };
}

/** Whether an outcome is one of the clean ones the requirement allows. */
export function isClean(result: InjectionResult): boolean {
  return result.outcome.kind !== "silent" && result.outcome.kind !== "unhandled" && result.leaks.length === 0;
}

/**
 * The k values to inject for a boot with these allocation sites: all of them when `sample` is
 * undefined or at least N; otherwise `sample` evenly spaced ones plus every site's first and last
 * occurrence (so no site goes untested), in ascending order.
 */
export function injectionPoints(sites: readonly string[], sample: number | undefined): number[] {
  const n = sites.length;
  if (sample === undefined || sample >= n) return Array.from({ length: n }, (_, i) => i + 1);
  const chosen = new Set<number>();
  for (let i = 0; i < sample; i++) chosen.add(1 + Math.floor((i * n) / sample));
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  sites.forEach((site, index) => {
    if (!first.has(site)) first.set(site, index + 1);
    last.set(site, index + 1);
  });
  for (const k of [...first.values(), ...last.values()]) chosen.add(k);
  return [...chosen].sort((a, b) => a - b);
}

/** What one configuration's sweep found, as the table and the CI summary show it. */
export interface SweepSummary {
  readonly config: string;
  readonly allocations: number;
  readonly sites: readonly { readonly site: string; readonly count: number }[];
  readonly injected: number;
  readonly sampled: boolean;
  /** clean failures by "MEM_OBJ" / "MEM_CAP" (via the code that surfaced them) or by error code */
  readonly cleanByOutcome: Readonly<Record<string, number>>;
  readonly leaks: number;
  readonly unhandled: number;
  readonly silent: number;
  /** the unclean injections, for the report */
  readonly findings: readonly InjectionResult[];
}

export async function sweepConfiguration(
  name: string,
  prepared: PreparedConfiguration,
  options: { readonly sample?: number; readonly failAllAfter?: boolean; readonly progress?: (done: number, total: number) => void } = {},
): Promise<SweepSummary> {
  const counted = await countAllocations(prepared);
  const points = injectionPoints(counted.sites, options.sample);
  const cleanByOutcome: Record<string, number> = {};
  const findings: InjectionResult[] = [];
  let leaks = 0;
  let unhandled = 0;
  let silent = 0;
  for (const [index, k] of points.entries()) {
    const result = await injectAt(prepared, k, options.failAllAfter ?? false);
    if (result.leaks.length > 0) leaks += 1;
    if (result.outcome.kind === "unhandled") unhandled += 1;
    if (result.outcome.kind === "silent") silent += 1;
    if (!isClean(result)) findings.push(result);
    else {
      const key = outcomeKey(result.outcome);
      cleanByOutcome[key] = (cleanByOutcome[key] ?? 0) + 1;
    }
    options.progress?.(index + 1, points.length);
  }
  const siteCounts = new Map<string, number>();
  for (const site of counted.sites) siteCounts.set(site, (siteCounts.get(site) ?? 0) + 1);
  return {
    config: name,
    allocations: counted.sites.length,
    sites: [...siteCounts].map(([site, count]) => ({ site, count })),
    injected: points.length,
    sampled: points.length < counted.sites.length,
    cleanByOutcome: Object.fromEntries(Object.entries(cleanByOutcome).sort(([a], [b]) => (a < b ? -1 : 1))),
    leaks,
    unhandled,
    silent,
    findings,
  };
}

function outcomeKey(outcome: InjectionOutcome): string {
  switch (outcome.kind) {
    case "status":
      return `${outcome.status} (${outcome.code})`;
    case "error":
      return outcome.code;
    case "surfaced":
      return "surfaced in boot log";
    default:
      return outcome.kind;
  }
}
