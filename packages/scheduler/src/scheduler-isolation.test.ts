import { describe, expect, it } from "vitest";
import { bootTestKernel, type DomainConfig, type DomainReport } from "@novakit/kernel-core";
import { schedulerPlugin } from "./index.js";

/**
 * Temporal isolation, booted for real: the kernel-core simulator runs the built-in workloads
 * with @novakit/scheduler as the policy, and the claims are checked on what ctrl_sc reports
 * (DomainReport.scUsedNs).
 *
 * The claim, as NOVA makes it (nova.md §7): isolation is per SC, not per domain. On one CPU,
 * busy SCs of equal priority share the time they get in proportion to their budgets (round
 * robin, budget as the slice), each within one slice of its exact share, however hard the
 * others loop. A domain with more ECs therefore gets more SCs' worth (its SCs' share, and no
 * more), and a higher priority is served first whatever lower priorities do.
 */

const MS = 1_000_000;

function domain(name: string, overrides: Partial<DomainConfig> = {}): DomainConfig {
  return { name, kind: "native", memoryMiB: 2, vcpus: 1, cpus: [0], priority: 10, budgetMs: 2, workload: "busy-loop", ...overrides };
}

function usedBy(domains: readonly DomainReport[], name: string): readonly number[] {
  const report = domains.find((entry) => entry.name === name);
  if (report === undefined) throw new Error(`no report for domain ${name}`);
  return report.scUsedNs;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

async function boot(domains: readonly DomainConfig[], durationMs = 200, seed = 1) {
  const { result } = await bootTestKernel({ scheduler: schedulerPlugin, durationMs, seed, domains });
  expect(result.faults).toEqual([]);
  expect(result.plugins.map((plugin) => plugin.name)).toContain("@novakit/scheduler");
  return result;
}

describe("temporal isolation with @novakit/scheduler (booted)", () => {
  it("two busy domains of equal priority and budget on one CPU: each gets 50% ± one budget", async () => {
    const budgetNs = 2 * MS;
    const result = await boot([domain("left"), domain("right")]);
    const left = sum(usedBy(result.domains, "left"));
    const right = sum(usedBy(result.domains, "right"));
    const busyTime = left + right;
    // nearly the whole run went to them: only the root task's setup is missing
    expect(busyTime).toBeGreaterThan(0.99 * result.stats.simulatedNs);
    expect(Math.abs(left - busyTime / 2)).toBeLessThanOrEqual(budgetNs);
    expect(Math.abs(right - busyTime / 2)).toBeLessThanOrEqual(budgetNs);
  });

  it("a domain with twice the ECs gets its SCs' share (2/3), no more, and the other is not starved", async () => {
    const budgetNs = 2 * MS;
    const result = await boot([domain("single"), domain("double", { vcpus: 2, cpus: [0] })]);
    const perSc = [...usedBy(result.domains, "single"), ...usedBy(result.domains, "double")];
    expect(perSc).toHaveLength(3);
    const busyTime = sum(perSc);
    for (const used of perSc) expect(Math.abs(used - busyTime / 3)).toBeLessThanOrEqual(budgetNs);
    expect(sum(usedBy(result.domains, "double"))).toBeLessThanOrEqual((2 * busyTime) / 3 + budgetNs);
    expect(sum(usedBy(result.domains, "single"))).toBeGreaterThanOrEqual(busyTime / 3 - budgetNs);
  });

  it("shares in proportion to budgets at equal priority (budget is the time slice)", async () => {
    const result = await boot([domain("short", { budgetMs: 1 }), domain("long", { budgetMs: 3 })]);
    const short = sum(usedBy(result.domains, "short"));
    const long = sum(usedBy(result.domains, "long"));
    const round = 4 * MS; // one slice of each
    expect(Math.abs(short - (short + long) / 4)).toBeLessThanOrEqual(round);
    expect(Math.abs(long - (3 * (short + long)) / 4)).toBeLessThanOrEqual(round);
  });

  it("a higher-priority periodic domain preempts a busy one and meets every period", async () => {
    const periodUs = 5000;
    const computeUs = 300;
    const durationMs = 100;
    const result = await boot(
      [
        domain("batch", { budgetMs: 10 }),
        domain("control", { priority: 20, budgetMs: 1, workload: "periodic", workloadOptions: { periodUs, computeUs } }),
      ],
      durationMs,
    );
    const control = result.domains.find((entry) => entry.name === "control")!;
    const periods = control.results["periods"];
    expect(periods).toBe((durationMs * 1000) / periodUs);
    expect(control.results["misses"] ?? 0).toBe(0);
    // it got its compute time every period even though batch never stops looping
    const controlUsed = sum(control.scUsedNs);
    expect(controlUsed).toBeGreaterThanOrEqual((periods as number) * computeUs * 1000);
    // and batch got all the rest of the CPU
    const batchUsed = sum(usedBy(result.domains, "batch"));
    expect(batchUsed + controlUsed).toBeGreaterThan(0.99 * result.stats.simulatedNs);
  });

  it("a busy lower priority gets nothing while a higher priority loops (strict priorities)", async () => {
    const result = await boot([domain("high", { priority: 30 }), domain("low", { priority: 29 })], 50);
    expect(sum(usedBy(result.domains, "low"))).toBe(0);
    expect(sum(usedBy(result.domains, "high"))).toBeGreaterThan(0.99 * result.stats.simulatedNs);
  });

  it("keeps CPUs apart: load on CPU 0 does not touch a domain alone on CPU 1", async () => {
    const result = await boot([domain("a"), domain("b"), domain("alone", { cpus: [1] })], 50);
    expect(sum(usedBy(result.domains, "alone"))).toBeGreaterThan(0.99 * result.stats.simulatedNs);
  });

  it("is deterministic: the same configuration and seed give the same times and log", async () => {
    const domains = [domain("x", { budgetMs: 1 }), domain("y", { vcpus: 2 }), domain("z", { priority: 12, workload: "periodic" })];
    const first = await boot(domains, 30, 9);
    const second = await boot(domains, 30, 9);
    expect(second.domains.map((entry) => entry.scUsedNs)).toEqual(first.domains.map((entry) => entry.scUsedNs));
    expect(second.log).toEqual(first.log);
  });
});
