export * from "./amd-iommu.js";
export * from "./amd-iommu-options.js";
export * from "./dma-fault-event.js";
