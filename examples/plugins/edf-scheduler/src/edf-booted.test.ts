import { describe, expect, it } from "vitest";
import { bootTestKernel, createTestKernel, NovakitError, type DomainConfig, type DomainReport } from "@novakit/kernel-core";
import { edfSchedulerPlugin } from "./index.js";

const MS = 1_000_000;

function busy(name: string, budgetMs: number): DomainConfig {
  return { name, kind: "native", memoryMiB: 2, vcpus: 1, cpus: [0], priority: 10, budgetMs, workload: "busy-loop" };
}

const usedNs = (domains: readonly DomainReport[], name: string): number =>
  domains.find((entry) => entry.name === name)!.scUsedNs.reduce((total, value) => total + value, 0);

describe("the EDF scheduler in a booted kernel", () => {
  it("is the kernel's scheduler when configured instead of the default", async () => {
    const { result } = await bootTestKernel({ scheduler: edfSchedulerPlugin, durationMs: 10, domains: [busy("only", 1)] });
    const names = result.plugins.map((plugin) => plugin.name);
    expect(names).toContain("novakit-plugin-edf-scheduler");
    expect(names.filter((name) => name.includes("scheduler"))).toEqual(["novakit-plugin-edf-scheduler"]);
    expect(usedNs(result.domains, "only")).toBeGreaterThan(0.99 * result.stats.simulatedNs);
  });

  it("shares equally between busy SCs with budgets 1 ms and 3 ms, where round robin gives 1:3", async () => {
    const { result } = await bootTestKernel({
      scheduler: edfSchedulerPlugin,
      durationMs: 120,
      domains: [busy("short", 1), busy("long", 3)],
    });
    expect(result.faults).toEqual([]);
    const short = usedNs(result.domains, "short");
    const long = usedNs(result.domains, "long");
    expect(Math.abs(short - long)).toBeLessThanOrEqual(3 * MS);
    expect(short + long).toBeGreaterThan(0.99 * result.stats.simulatedNs);
  });

  it("still serves a higher-priority periodic domain first", async () => {
    const { result } = await bootTestKernel({
      scheduler: edfSchedulerPlugin,
      durationMs: 50,
      domains: [
        busy("batch", 5),
        { name: "control", kind: "native", memoryMiB: 2, vcpus: 1, cpus: [0], priority: 20, budgetMs: 1, workload: "periodic", workloadOptions: { periodUs: 5000, computeUs: 200 } },
      ],
    });
    const control = result.domains.find((entry) => entry.name === "control")!;
    expect(control.results["periods"]).toBe(10);
    expect(control.results["misses"] ?? 0).toBe(0);
  });

  it("rejects a misspelt option with the kernel's options diagnostic", () => {
    let error: unknown;
    try {
      createTestKernel({ scheduler: edfSchedulerPlugin, schedulerOptions: { budgetScale: 2 }, domains: [busy("only", 1)] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-PLG-010");
  });
});
