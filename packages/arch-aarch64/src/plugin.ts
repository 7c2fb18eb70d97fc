import { definePlugin, NotImplementedError } from "@novakit/kernel-core";

/**
 * Manifest only: AArch64 support (VMSAv8-64 page tables, FDT discovery, GIC, PSCI) arrives with its own issue. Until then a configuration that enables
 * this plugin fails at registration with a diagnostic that says so, instead of booting
 * something that only looks complete.
 */
export const archAarch64Plugin = definePlugin({
  name: "@novakit/arch-aarch64",
  version: "0.1.0",
  kind: "arch",
  description: "AArch64 support (VMSAv8-64 page tables, FDT discovery, GIC, PSCI) (not implemented yet)",
  constraints: { arch: ["aarch64"] },
  register() {
    throw new NotImplementedError("@novakit/arch-aarch64: AArch64 support (VMSAv8-64 page tables, FDT discovery, GIC, PSCI)");
  },
});
