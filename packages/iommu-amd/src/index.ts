export { iommuAmdPlugin } from "./plugin.js";
// IVRS decoder, device map and encoder (amd-iommu.md §1)
export * from "./ivrs/index.js";
