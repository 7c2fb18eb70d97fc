import {
  checkPlatformConstraints,
  type Arch,
  createKernel,
  NovakitError,
  resolvePlugins,
  type DiscoverContext,
  type NovakitConfig,
  type Platform,
  type PluginRequest,
  type ResolvedPlugin,
} from "@novakit/kernel-core";
import { PLUGIN_LOAD_CODES } from "./config-codes.js";
import { withDefaultIommuPlugin } from "./default-iommu-plugin.js";
import { platformFindings } from "./platform-checks.js";
import { readConfigSource, type ConfigSource } from "./load-config.js";
import { pluginRequests } from "./plugin-references.js";
import { parseConfigOrThrow } from "./validate-config.js";

/** A configuration that loaded, validated and whose plugins resolved. */
export interface PreparedConfiguration {
  readonly source: ConfigSource;
  readonly config: NovakitConfig;
  readonly requests: readonly PluginRequest[];
  readonly plugins: readonly ResolvedPlugin[];
}

/** Load (for `arch`, when given: see readConfigSource) → validate → find plugins → resolve; throws the first NovakitError. */
export async function prepareConfiguration(cwd: string, named: string | undefined, arch?: Arch): Promise<PreparedConfiguration> {
  const source = await readConfigSource(cwd, named, arch);
  return prepareFromSource(source, parseConfigOrThrow(source.value, source.label));
}

export async function prepareFromSource(source: ConfigSource, config: NovakitConfig): Promise<PreparedConfiguration> {
  // the defaults of plugin-references.ts (arch, scheduler), then NOVA's DMA remapping on AMD
  const requests = await withDefaultIommuPlugin(config, await pluginRequests(config, source.dir, source.label), source);
  return { source, config, requests, plugins: resolvePlugins(requests, config) };
}

export interface DiscoveredConfiguration {
  readonly platform: Platform;
  /** workloads the kernel knows: built-in ones and those the plugins registered */
  readonly workloads: readonly string[];
}

/**
 * Creates a kernel (which registers the plugins) and runs only the discover phase, the way boot
 * starts: what `check` and `compose` need to know about the machine without booting it.
 */
export async function discoverPlatform(prepared: PreparedConfiguration): Promise<DiscoveredConfiguration> {
  const kernel = createKernel({
    config: prepared.config,
    plugins: prepared.requests,
    configDir: prepared.source.dir,
    configFile: prepared.source.label,
  });
  const context: DiscoverContext = { config: prepared.config, configDir: prepared.source.dir, platform: undefined };
  await kernel.hooks.discover.promise(context);
  if (context.platform === undefined) {
    throw new NovakitError(PLUGIN_LOAD_CODES.noPlatform, "no plugin discovered the platform in the discover phase", { file: prepared.source.label, field: "platform" });
  }
  return { platform: context.platform, workloads: kernel.workloads.names() };
}

/**
 * discoverPlatform plus the checks `check` reports as errors (CPU indices, devices, workloads,
 * vendor and CPU-feature constraints): compose and boot refuse what check would fail.
 */
export async function discoverAndVerify(prepared: PreparedConfiguration): Promise<DiscoveredConfiguration> {
  const discovered = await discoverPlatform(prepared);
  checkPlatformConstraints(prepared.plugins, discovered.platform);
  const hasIommu = prepared.plugins.some((resolved) => resolved.plugin.kind === "iommu");
  const findings = platformFindings(prepared.config, prepared.source.label, discovered.platform, discovered.workloads, hasIommu);
  const firstError = findings.find((finding) => finding.severity === "error");
  if (firstError !== undefined) throw firstError.error;
  return discovered;
}
