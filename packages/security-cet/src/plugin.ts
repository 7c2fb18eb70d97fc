import { definePlugin, NotImplementedError } from "@novakit/kernel-core";

/**
 * Manifest only: Intel CET control-flow protection (IBT, supervisor shadow stacks) arrives with its own issue. Until then a configuration that enables
 * this plugin fails at registration with a diagnostic that says so, instead of booting
 * something that only looks complete.
 */
export const securityCetPlugin = definePlugin({
  name: "@novakit/security-cet",
  version: "0.1.0",
  kind: "security",
  description: "Intel CET control-flow protection (IBT, supervisor shadow stacks) (not implemented yet)",
  constraints: { arch: ["x86_64"] },
  register() {
    throw new NotImplementedError("@novakit/security-cet: Intel CET control-flow protection (IBT, supervisor shadow stacks)");
  },
});
