export { schedulerPlugin, schedulerOptionsSchema, SCHEDULER_PLUGIN_NAME, SCHEDULER_PLUGIN_VERSION } from "./scheduler-plugin.js";
export type { SchedulerOptions } from "./scheduler-plugin.js";
export { NovaSchedulerPolicy } from "./nova-scheduler-policy.js";
export type { NovaSchedulerPolicyOptions } from "./nova-scheduler-policy.js";
export { PriorityBitmap, NOVA_PRIORITY_COUNT, NOVA_HIGHEST_PRIORITY } from "./priority-bitmap.js";
export { SchedulerDiagnostic } from "./scheduler-diagnostics.js";

// the plugin, for configurations that reference this package by name
export { schedulerPlugin as default } from "./scheduler-plugin.js";
