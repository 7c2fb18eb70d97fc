import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePlugin } from "../plugin/plugin-definition.js";
import { bootTestKernel } from "./boot-test-kernel.js";
import { TestRoundRobinPolicy } from "./test-scheduler.js";

describe("bootTestKernel", () => {
  it("boots domains built by the root task through hypercalls and runs their workloads", async () => {
    const { result } = await bootTestKernel({
      durationMs: 5,
      domains: [
        { name: "spin", kind: "native", memoryMiB: 4, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop" },
        { name: "tick", kind: "native", memoryMiB: 2, vcpus: 1, cpus: [1], priority: 20, budgetMs: 1, workload: "periodic" },
      ],
    });
    expect(result.log[0]).toMatch(/^NOVA Microhypervisor v24-novakit \(x86_64\): testkit/);
    const [spin, tick] = result.domains;
    expect(spin!.memoryBytes).toBe(4 * 1024 * 1024);
    expect(spin!.results["slices"]).toBeGreaterThan(0);
    expect(tick!.results["periods"]).toBeGreaterThan(0);
    expect(result.faults).toEqual([]);
  });

  it("hands schedulerOptions to the scheduler plugin through its schema", async () => {
    const seen: number[] = [];
    const scheduler = definePlugin({
      name: "test-scheduler-with-options",
      version: "1.0.0",
      kind: "scheduler",
      options: z.strictObject({ label: z.number().default(1) }),
      register(context) {
        context.hooks.scheduler.tap(context.pluginName, (request) => {
          seen.push(context.options.label);
          return new TestRoundRobinPolicy(request.cpus);
        });
      },
    });
    await bootTestKernel({ scheduler, schedulerOptions: { label: 7 }, durationMs: 1 });
    await bootTestKernel({ scheduler, durationMs: 1 });
    expect(seen).toEqual([7, 1]);
  });
});
