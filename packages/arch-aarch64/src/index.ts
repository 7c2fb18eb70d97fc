import "reflect-metadata";

// Public API of @novakit/arch-aarch64.
export {
  archAarch64Plugin,
  archAarch64Options,
  chooseAddressBits,
  planPaging,
  hostFormatOf,
  guestFormatOf,
  ARCH_AARCH64_PLUGIN_NAME,
  NOVA_STAGE2_IPA_BITS,
  type ArchAarch64Options,
  type Aarch64PagingPlan,
} from "./plugin.js";
export { archAarch64Plugin as default } from "./plugin.js";
export * from "./a64-diagnostics.js";

// flattened device tree
export * from "./fdt/index.js";

// discovery
export * from "./discovery/interrupt-specifier.js";
export * from "./discovery/gic.js";
export * from "./discovery/psci-node.js";
export * from "./discovery/cpu-nodes.js";
export * from "./discovery/node-interrupts.js";
export * from "./discovery/memory-nodes.js";
export * from "./discovery/timer-node.js";
export * from "./discovery/uart-nodes.js";
export * from "./discovery/smmu-nodes.js";
export * from "./discovery/pci-host-nodes.js";
export * from "./discovery/chosen-node.js";
export * from "./discovery/arm-cpu-model.js";
export * from "./discovery/fdt-platform.js";

// profiles
export * from "./profiles/built-in-profiles.js";

// page tables and translation control
export * from "./paging/index.js";
export * from "./cpu/el2-system-registers.js";

// PSCI and ctrl_hw
export * from "./psci/index.js";
export * from "./hypercalls/ctrl-hw.js";
