import "reflect-metadata";

// The public API of @novakit/kernel-core. Plugins import only from here.
export * from "./abi/status.js";
export * from "./abi/hypercall-numbers.js";
export * from "./errors/novakit-error.js";
export * from "./platform/platform.js";
export * from "./config/config-types.js";
export * from "./hooks/hook-types.js";
export * from "./hooks/kernel-hooks.js";
export * from "./hooks/kernel-services.js";
export * from "./hooks/scheduler-policy.js";
export * from "./memory/page-table-format.js";
export * from "./memory/translation-table.js";
export * from "./plugin/plugin-definition.js";
export * from "./plugin/resolve-plugins.js";
export * from "./di/tokens.js";
export * from "./sim/workload.js";
export * from "./boot/kernel-api.js";
