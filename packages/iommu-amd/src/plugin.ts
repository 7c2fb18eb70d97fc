import { definePlugin, NotImplementedError } from "@novakit/kernel-core";

/**
 * Manifest only: AMD IOMMU DMA remapping (IVRS, device table, I/O page tables, assign_dev) arrives with its own issue. Until then a configuration that enables
 * this plugin fails at registration with a diagnostic that says so, instead of booting
 * something that only looks complete.
 */
export const iommuAmdPlugin = definePlugin({
  name: "@novakit/iommu-amd",
  version: "0.1.0",
  kind: "iommu",
  description: "AMD IOMMU DMA remapping (IVRS, device table, I/O page tables, assign_dev) (not implemented yet)",
  constraints: { arch: ["x86_64"], vendor: ["amd"] },
  register() {
    throw new NotImplementedError("@novakit/iommu-amd: AMD IOMMU DMA remapping (IVRS, device table, I/O page tables, assign_dev)");
  },
});
