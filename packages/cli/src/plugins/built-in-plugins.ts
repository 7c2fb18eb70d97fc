import type { NovakitPlugin } from "@novakit/kernel-core";
import * as archAarch64 from "@novakit/arch-aarch64";
import * as archX86_64 from "@novakit/arch-x86_64";
import * as iommuAmd from "@novakit/iommu-amd";
import * as scheduler from "@novakit/scheduler";
import * as securityCet from "@novakit/security-cet";
import * as txtLaunch from "@novakit/txt-launch";
import { pluginExportOf } from "./is-plugin.js";

/**
 * The plugins that ship with the CLI, by package name. A configuration that names one of these
 * gets the CLI's own copy (the one bundled with this kernel-core), whatever is installed next to
 * the configuration file; any other name is resolved from the configuration's directory.
 * The plugin is picked out of the package's exports the same way as for a third-party module.
 */
const BUILT_IN_MODULES: readonly Record<string, unknown>[] = [archX86_64, archAarch64, scheduler, iommuAmd, securityCet, txtLaunch];

export function builtInPlugins(): readonly NovakitPlugin<unknown>[] {
  const plugins: NovakitPlugin<unknown>[] = [];
  for (const module of BUILT_IN_MODULES) {
    const found = pluginExportOf(module);
    if (found !== undefined && "plugin" in found) plugins.push(found.plugin);
  }
  return plugins;
}

export function builtInPlugin(name: string): NovakitPlugin<unknown> | undefined {
  return builtInPlugins().find((plugin) => plugin.name === name);
}

/** The package that provides the arch plugin for an architecture: added to every configuration by default. */
export const DEFAULT_ARCH_PLUGIN: Readonly<Record<"x86_64" | "aarch64", string>> = Object.freeze({
  x86_64: "@novakit/arch-x86_64",
  aarch64: "@novakit/arch-aarch64",
});
export const DEFAULT_SCHEDULER_PLUGIN = "@novakit/scheduler";

/** The arch packages' exports by arch, for their platform-profile registries (`novakit plugins`). */
export const ARCH_PACKAGE_EXPORTS: Readonly<Record<"x86_64" | "aarch64", Record<string, unknown>>> = Object.freeze({
  x86_64: archX86_64,
  aarch64: archAarch64,
});
