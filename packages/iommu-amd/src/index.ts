export { iommuAmdPlugin } from "./plugin.js";
// IVRS decoder, device map and encoder (amd-iommu.md §1)
export * from "./ivrs/index.js";
// AMD I/O page-table format for the radix engine (amd-iommu.md §4)
export * from "./dpt/index.js";
// 256-bit device table entries and the device table (amd-iommu.md §3, nova.md §4.3)
export * from "./device-table/index.js";
// the DMA translation walk (amd-iommu.md §3.4, §4.3)
export * from "./translation/index.js";
// the plugin's driver (NOVA's Smmu_amd): factory with an observer, options, statistics
export { createIommuAmdPlugin, IOMMU_AMD_PLUGIN_NAME, IOMMU_AMD_PLUGIN_VERSION, type IommuAmdPluginObserver } from "./plugin.js";
export * from "./plugin/index.js";
// the hardware model (amd-iommu.md §2, §5, §6, §10): MMIO registers, commands, events, caches, the unit
export * from "./mmio/index.js";
export * from "./command/index.js";
export * from "./event-log/index.js";
export * from "./cache/index.js";
export * from "./unit/index.js";
