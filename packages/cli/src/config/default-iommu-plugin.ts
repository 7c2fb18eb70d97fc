import { createKernel, isNovakitError, type DiscoverContext, type NovakitConfig, type Platform, type PluginRequest } from "@novakit/kernel-core";
import { builtInPlugin } from "../plugins/built-in-plugins.js";
import type { ConfigSource } from "./load-config.js";

/** the AMD IOMMU plugin that NOVA's rule turns on (reference/nova.md §4.1) */
export const DEFAULT_IOMMU_PLUGIN = "@novakit/iommu-amd";

/**
 * DMA remapping is on by default, as in NOVA (reference/nova.md §4.1, §4.7): an x86_64
 * configuration on an AMD platform whose firmware has an IVRS gets @novakit/iommu-amd, unless
 * it already names an IOMMU plugin or lists this one with `enabled: false`. NOVA's own way to
 * turn remapping off is the `nosmmu` command-line option: the plugin stays loaded and skips init.
 *
 * Whether the platform is such a machine is learnt the way boot learns it: the discover phase
 * with the plugins requested so far. If discovery fails here, nothing is added and the real
 * discovery reports the problem with its own diagnostic.
 */
export async function withDefaultIommuPlugin(config: NovakitConfig, requests: readonly PluginRequest[], source: ConfigSource): Promise<PluginRequest[]> {
  const result = [...requests];
  if (config.arch !== "x86_64") return result;
  if (requests.some((request) => request.plugin.kind === "iommu")) return result;
  const optedOut = (config.plugins ?? []).some((entry) => typeof entry !== "string" && entry.name === DEFAULT_IOMMU_PLUGIN && entry.enabled === false);
  if (optedOut) return result;
  const platform = await discoverQuietly(config, requests, source);
  if (platform === undefined || !needsAmdIommu(platform)) return result;
  const plugin = builtInPlugin(DEFAULT_IOMMU_PLUGIN);
  // A built-in package that exports no plugin is a broken install, not a user mistake.
  if (plugin === undefined) throw new Error(`the built-in package ${DEFAULT_IOMMU_PLUGIN} exports no plugin`);
  result.push({ plugin, source: `${source.label}: plugins (default iommu plugin: AMD platform with IVRS)` });
  return result;
}

/** an AMD CPU and an IVRS among the firmware tables */
export function needsAmdIommu(platform: Platform): boolean {
  return platform.arch === "x86_64" && platform.cpu.vendor === "amd" && platform.firmware.tables.some((table) => table.signature === "IVRS");
}

async function discoverQuietly(config: NovakitConfig, requests: readonly PluginRequest[], source: ConfigSource): Promise<Platform | undefined> {
  try {
    const kernel = createKernel({ config, plugins: requests, configDir: source.dir, configFile: source.label });
    const context: DiscoverContext = { config, configDir: source.dir, platform: undefined };
    await kernel.hooks.discover.promise(context);
    return context.platform;
  } catch (error) {
    if (isNovakitError(error)) return undefined;
    throw error;
  }
}
