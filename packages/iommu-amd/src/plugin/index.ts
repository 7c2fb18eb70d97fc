// The driver side of @novakit/iommu-amd (NOVA's Smmu_amd, nova.md §4): what tests, benchmarks
// and tools reach through createIommuAmdPlugin({ onDriver }). Named exports only: the hardware
// model exports register and command names of its own.
export { AmdIommuDriver, type IommuAmdStatistics } from "./amd-iommu-driver.js";
export type { HardwareFactory, HardwareSetup } from "./bring-up.js";
export type { IommuHardware } from "./iommu-hardware.js";
export { IommuPluginDiagnostic } from "./iommu-plugin-diagnostics.js";
export { iommuAmdOptionsSchema, type IommuAmdOptions } from "./plugin-options.js";
export { SmmuUnit } from "./smmu-unit.js";
export { SMMU_TIMEOUT_NS } from "./spin-wait.js";
export { walkDeviceReach } from "./dma-reach.js";
