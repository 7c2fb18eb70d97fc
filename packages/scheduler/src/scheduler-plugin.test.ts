import { describe, expect, it } from "vitest";
import { createKernelHooks, type KernelServices, type PluginContext } from "@novakit/kernel-core";
import { NovaSchedulerPolicy } from "./nova-scheduler-policy.js";
import { schedulerOptionsSchema, schedulerPlugin, type SchedulerOptions } from "./scheduler-plugin.js";
import { fakeSc } from "./test-support/fake-sc.js";

function registerWith(options: SchedulerOptions, log: string[] = []) {
  const hooks = createKernelHooks();
  const kernel = { hooks, log: (line: string) => log.push(line), nowNs: () => 0 } as Partial<KernelServices>;
  const context: PluginContext<SchedulerOptions> = {
    pluginName: schedulerPlugin.name,
    options,
    hooks,
    kernel: kernel as KernelServices,
    registerWorkload: () => undefined,
  };
  schedulerPlugin.register(context);
  return hooks;
}

describe("schedulerPlugin", () => {
  it("declares itself as the scheduler", () => {
    expect(schedulerPlugin.name).toBe("@novakit/scheduler");
    expect(schedulerPlugin.kind).toBe("scheduler");
  });

  it("defaults its options and rejects unknown ones", () => {
    expect(schedulerOptionsSchema.parse(undefined)).toEqual({ trace: false });
    expect(schedulerOptionsSchema.parse({})).toEqual({ trace: false });
    expect(schedulerOptionsSchema.safeParse({ trace: "yes" }).success).toBe(false);
    expect(schedulerOptionsSchema.safeParse({ quantum: 3 }).success).toBe(false);
  });

  it("answers the scheduler hook with a fresh policy for the requested CPU count", () => {
    const hooks = registerWith({ trace: false });
    const first = hooks.scheduler.call({ cpus: 4 });
    const second = hooks.scheduler.call({ cpus: 4 });
    expect(first).toBeInstanceOf(NovaSchedulerPolicy);
    expect((first as NovaSchedulerPolicy).cpuCount).toBe(4);
    expect(second).not.toBe(first);
    // the two policies share no queues
    first!.enqueue(fakeSc(1, 5, 100, { cpu: 3 }), 0);
    expect(second!.pickNext(3, 0)).toBeUndefined();
    expect(first!.pickNext(3, 0)?.id).toBe(1);
  });

  it("names its tap after the plugin", () => {
    const hooks = registerWith({ trace: false });
    expect(hooks.scheduler.taps.map((tap) => tap.name)).toEqual(["@novakit/scheduler"]);
  });

  it("traces decisions to the kernel console when asked", () => {
    const log: string[] = [];
    const hooks = registerWith({ trace: true }, log);
    const policy = hooks.scheduler.call({ cpus: 1 })!;
    policy.enqueue(fakeSc(7, 3, 100), 5);
    policy.pickNext(0, 6);
    expect(log).toEqual([
      "sched 5: cpu 0 enqueue sc 7 prio 3 at tail left 100",
      "sched 6: cpu 0 picks sc 7 prio 3 left 100",
    ]);
  });
});
