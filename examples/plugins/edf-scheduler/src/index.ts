export { edfSchedulerPlugin, edfSchedulerOptionsSchema, EDF_SCHEDULER_NAME } from "./edf-scheduler-plugin.js";
export type { EdfSchedulerOptions } from "./edf-scheduler-plugin.js";
export { EdfSchedulerPolicy } from "./edf-scheduler-policy.js";
export { deadlineOnEnqueue } from "./deadline-rule.js";
export { EdfDiagnostic } from "./edf-diagnostics.js";

// the plugin, for configurations that reference this package by name
export { edfSchedulerPlugin as default } from "./edf-scheduler-plugin.js";
