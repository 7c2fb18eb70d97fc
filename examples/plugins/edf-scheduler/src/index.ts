import { definePlugin } from "@novakit/kernel-core";
import { edfSchedulerOptionsSchema, type EdfSchedulerOptions } from "./options.js";
import { EdfSchedulerPolicy } from "./edf-scheduler-policy.js";

/** The package name: taps, console lines and the boot report are filed under it. */
export const EDF_SCHEDULER_NAME = "novakit-plugin-edf-scheduler";

/**
 * novakit-plugin-edf-scheduler: a drop-in replacement for @novakit/scheduler. Configure it
 * instead (the kernel accepts one scheduler plugin), and every CPU is scheduled
 * earliest-deadline-first (src/deadline-rule.ts says how an SC's deadline comes from its budget).
 *
 * Written against the public API of @novakit/kernel-core only. docs/plugins.md in the Novakit
 * repository describes every hook (when it runs, its arguments, what a tap may return, ordering
 * with `stage`/`before`), the manifest fields, the DI tokens and the stability policy.
 */
export const edfSchedulerPlugin = definePlugin<EdfSchedulerOptions>({
  name: EDF_SCHEDULER_NAME,
  version: "0.1.0",
  kind: "scheduler",
  description: "earliest-deadline-first scheduler; an SC's (virtual) deadline comes from its budget",
  conflicts: ["@novakit/scheduler"],
  options: edfSchedulerOptionsSchema,
  register(context) {
    // docs/plugins.md#scheduler: bail, called once per boot after `discover` with the CPU count;
    // the policy the first tap returns schedules every SC of the kernel. A new policy per call:
    // per-kernel state never lives at module level.
    context.hooks.scheduler.tap(context.pluginName, (request) => new EdfSchedulerPolicy(request.cpus));
  },
});

export { edfSchedulerOptionsSchema, type EdfSchedulerOptions } from "./options.js";
export { EdfSchedulerPolicy } from "./edf-scheduler-policy.js";
export { deadlineOnEnqueue } from "./deadline-rule.js";
export { EdfDiagnostic } from "./edf-diagnostics.js";

// the plugin, for configurations that name this package: plugins: ["novakit-plugin-edf-scheduler"]
export default edfSchedulerPlugin;
