import "reflect-metadata";

// Public API of @novakit/security-cet.
export { securityCetPlugin, SECURITY_CET_PLUGIN_NAME } from "./plugin.js";
export { securityCetPlugin as default } from "./plugin.js";

// options, gating, diagnostics
export * from "./options/cet-options.js";
export * from "./cet-diagnostics.js";
export * from "./gating/cfp-protections.js";
export * from "./gating/cfp-gate.js";
export * from "./gating/cet-findings.js";

// registers, shadow stacks, control-flow model, scenario
export * from "./msr/cet-registers.js";
export * from "./msr/write-cet-control.js";
export * from "./shadow-stack/shadow-stack-layout.js";
export * from "./shadow-stack/supervisor-token.js";
export * from "./shadow-stack/shadow-stack-page.js";
export * from "./control-flow/cpu-exception.js";
export * from "./control-flow/ibt-tracker.js";
export * from "./control-flow/code-memory.js";
export * from "./control-flow/cet-cpu.js";
export * from "./control-flow/hypervisor-image.js";
export * from "./control-flow/hypercall-path.js";
export * from "./control-flow/kernel-exception.js";
export * from "./control-flow/cet-runtime.js";
export * from "./cpu-init/per-cpu-init.js";
export * from "./scenario/cf-attack-workload.js";
export * from "./elf/index.js";
