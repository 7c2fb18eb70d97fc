import type { PluginKind } from "@novakit/kernel-core";
import type { PluginPackageName } from "./package-name.js";
import type { PluginDependencyVersions } from "./toolchain-versions.js";

/** The kinds the scaffold has a starting point for (every PluginKind but "arch"). */
export type ScaffoldKind = Exclude<PluginKind, "arch">;

/** Everything a template needs to know; templates are pure functions of it. */
export interface TemplateContext {
  readonly name: PluginPackageName;
  readonly kind: ScaffoldKind;
  readonly versions: PluginDependencyVersions;
  /**
   * Set when the package is generated inside the Novakit repository: the repository root as a
   * POSIX path relative to the package directory ("../.."). Configurations then extend the
   * repository's shared ones instead of standing alone.
   */
  readonly repositoryRoot: string | undefined;
}

/** "edf-scheduler" → "EDF_SCHEDULER": the name constant's prefix. */
export function screamingCase(context: TemplateContext): string {
  return context.name.camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Identifiers every template agrees on (index.ts exports them, the test imports them). */
export function identifiers(context: TemplateContext) {
  const { camel, pascal } = context.name;
  return {
    plugin: `${camel}Plugin`,
    nameConstant: `${screamingCase(context)}_NAME`,
    optionsSchema: `${camel}OptionsSchema`,
    optionsType: `${pascal}Options`,
    policyClass: `${pascal}Policy`,
  } as const;
}
