import { definePlugin } from "@novakit/kernel-core";
import { z } from "zod";
import { EdfSchedulerPolicy } from "./edf-scheduler-policy.js";

export const EDF_SCHEDULER_NAME = "novakit-plugin-edf-scheduler";

/** No options yet; strict so a misspelt option is an error rather than silently ignored. */
export const edfSchedulerOptionsSchema = z.object({}).strict().default({});

export type EdfSchedulerOptions = z.output<typeof edfSchedulerOptionsSchema>;

/**
 * A drop-in replacement for @novakit/scheduler: configure it instead (the kernel accepts one
 * scheduler plugin), and every CPU is scheduled earliest-deadline-first.
 */
export const edfSchedulerPlugin = definePlugin<EdfSchedulerOptions>({
  name: EDF_SCHEDULER_NAME,
  version: "0.1.0",
  kind: "scheduler",
  description: "earliest-deadline-first scheduler; an SC's (virtual) deadline comes from its budget",
  conflicts: ["@novakit/scheduler"],
  options: edfSchedulerOptionsSchema,
  register(context) {
    context.hooks.scheduler.tap(context.pluginName, (request) => new EdfSchedulerPolicy(request.cpus));
  },
});
