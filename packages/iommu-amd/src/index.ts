export { iommuAmdPlugin } from "./plugin.js";
// IVRS decoder, device map and encoder (amd-iommu.md §1)
export * from "./ivrs/index.js";
// AMD I/O page-table format for the radix engine (amd-iommu.md §4)
export * from "./dpt/index.js";
// 256-bit device table entries and the device table (amd-iommu.md §3, nova.md §4.3)
export * from "./device-table/index.js";
// the DMA translation walk (amd-iommu.md §3.4, §4.3)
export * from "./translation/index.js";
