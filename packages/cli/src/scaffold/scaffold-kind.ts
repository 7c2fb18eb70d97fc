import { NovakitError, PLUGIN_KIND_ORDER, type PluginKind } from "@novakit/kernel-core";
import { SCAFFOLD_CODES } from "./scaffold-codes.js";
import type { ScaffoldKind } from "./template-context.js";

/** The kind a plugin gets when --kind is not given: it may tap any hook and conflicts with nothing. */
export const DEFAULT_SCAFFOLD_KIND: ScaffoldKind = "extension";

function isPluginKind(value: string): value is PluginKind {
  return (PLUGIN_KIND_ORDER as readonly string[]).includes(value);
}

/** --kind, checked against the manifest's PluginKind (kernel-core's PLUGIN_KIND_ORDER lists them all). */
export function parseScaffoldKind(value: string | undefined): ScaffoldKind {
  if (value === undefined) return DEFAULT_SCAFFOLD_KIND;
  if (!isPluginKind(value)) {
    throw new NovakitError(
      SCAFFOLD_CODES.unknownKind,
      `plugin new: unknown kind "${value}"`,
      { field: "--kind" },
      `kinds: ${scaffoldKinds().join(", ")}`,
    );
  }
  if (value === "arch") {
    // An arch plugin must turn real firmware tables into a Platform and register bit-exact
    // page-table formats: no generic starting point would boot honestly.
    throw new NovakitError(
      SCAFFOLD_CODES.kindNotScaffolded,
      "plugin new: there is no starting point for arch plugins: one must discover the Platform from firmware and register the page-table formats",
      { field: "--kind" },
      "start from packages/arch-x86_64 or packages/arch-aarch64 of the Novakit repository",
    );
  }
  return value;
}

/** The kinds `--kind` accepts, in the manifest's order. */
export function scaffoldKinds(): ScaffoldKind[] {
  return PLUGIN_KIND_ORDER.filter((kind): kind is ScaffoldKind => kind !== "arch");
}
