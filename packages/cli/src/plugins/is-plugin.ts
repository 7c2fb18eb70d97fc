import type { NovakitPlugin, PluginKind } from "@novakit/kernel-core";

const PLUGIN_KINDS: readonly PluginKind[] = ["arch", "scheduler", "iommu", "security", "launch", "exporter", "extension"];

/** Whether a module export is a Novakit plugin object (as definePlugin returns it). */
export function isNovakitPlugin(value: unknown): value is NovakitPlugin<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate["name"] === "string" &&
    typeof candidate["version"] === "string" &&
    typeof candidate["register"] === "function" &&
    PLUGIN_KINDS.includes(candidate["kind"] as PluginKind)
  );
}

/**
 * The plugin a module provides: its default export if that is a plugin, else its only named
 * export that is one. Undefined when it has none; "ambiguous" lists the names when several
 * named exports are plugins and no default says which one is meant.
 */
export function pluginExportOf(
  exports: Record<string, unknown>,
): { plugin: NovakitPlugin<unknown> } | { ambiguous: string[] } | undefined {
  const fallback = exports["default"];
  if (isNovakitPlugin(fallback)) return { plugin: fallback };
  const named = Object.keys(exports)
    .sort()
    .filter((key) => key !== "default" && isNovakitPlugin(exports[key]));
  const distinct = [...new Set(named.map((key) => exports[key]))];
  if (distinct.length === 1) return { plugin: distinct[0] as NovakitPlugin<unknown> };
  if (distinct.length > 1) return { ambiguous: named };
  return undefined;
}
