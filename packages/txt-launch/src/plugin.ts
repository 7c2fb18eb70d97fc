import { definePlugin, NotImplementedError } from "@novakit/kernel-core";

/**
 * Manifest only: Measured launch (Intel TXT, AMD SKINIT, TPM 2.0, event log) arrives with its own issue. Until then a configuration that enables
 * this plugin fails at registration with a diagnostic that says so, instead of booting
 * something that only looks complete.
 */
export const txtLaunchPlugin = definePlugin({
  name: "@novakit/txt-launch",
  version: "0.1.0",
  kind: "launch",
  description: "Measured launch (Intel TXT, AMD SKINIT, TPM 2.0, event log) (not implemented yet)",
  constraints: { arch: ["x86_64"] },
  register() {
    throw new NotImplementedError("@novakit/txt-launch: Measured launch (Intel TXT, AMD SKINIT, TPM 2.0, event log)");
  },
});
