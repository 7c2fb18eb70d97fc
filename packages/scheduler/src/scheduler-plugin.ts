import { definePlugin } from "@novakit/kernel-core";
import { z } from "zod";
import { NovaSchedulerPolicy } from "./nova-scheduler-policy.js";

export const SCHEDULER_PLUGIN_NAME = "@novakit/scheduler";
export const SCHEDULER_PLUGIN_VERSION = "0.1.0";

export const schedulerOptionsSchema = z
  .object({
    /** log every enqueue and pick to the kernel console (verbose; for debugging a configuration) */
    trace: z.boolean().default(false),
  })
  .strict()
  // a configuration that lists the plugin without options passes undefined
  .default({ trace: false });

export type SchedulerOptions = z.output<typeof schedulerOptionsSchema>;

/**
 * The default scheduler: NOVA's fixed-priority round robin with SC budgets. It answers the
 * kernel's `scheduler` bail hook with a fresh per-CPU policy, so two kernels never share queues.
 */
export const schedulerPlugin = definePlugin<SchedulerOptions>({
  name: SCHEDULER_PLUGIN_NAME,
  version: SCHEDULER_PLUGIN_VERSION,
  kind: "scheduler",
  description: "NOVA fixed-priority round-robin scheduler: 128 priorities, per-CPU, budget as time slice",
  options: schedulerOptionsSchema,
  register(context) {
    const kernel = context.kernel;
    const trace = context.options.trace ? (line: string) => kernel.log(line) : undefined;
    context.hooks.scheduler.tap(context.pluginName, (request) =>
      trace === undefined ? new NovaSchedulerPolicy(request.cpus) : new NovaSchedulerPolicy(request.cpus, { trace }),
    );
  },
});
