import type { ZodType } from "zod";
import type { Arch, CpuFeature, CpuVendor } from "../platform/platform.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { WorkloadDefinition } from "../sim/workload.js";

/** What a plugin is; at most one "arch" (exactly one) and one "scheduler" per kernel. */
export type PluginKind = "arch" | "scheduler" | "iommu" | "security" | "launch" | "exporter" | "extension";

export interface PluginConstraints {
  /** architectures the plugin supports; omitted = any */
  readonly arch?: readonly Arch[];
  /** CPU vendors the plugin supports; omitted = any */
  readonly vendor?: readonly CpuVendor[];
  /** CPU features the platform must have */
  readonly cpuFeatures?: readonly CpuFeature[];
}

/** Handed to a plugin's register(): the hooks to tap and the kernel services. */
export interface PluginContext<Options> {
  readonly pluginName: string;
  /** the options, validated and defaulted by the plugin's schema */
  readonly options: Options;
  /** every hook; taps made during register() are named after the plugin */
  readonly hooks: KernelHooks;
  readonly kernel: KernelServices;
  /** make a workload available to domains of the configuration by name */
  registerWorkload(definition: WorkloadDefinition): void;
}

export interface NovakitPlugin<Options = unknown> {
  /** npm-style name, e.g. "@novakit/iommu-amd" */
  readonly name: string;
  readonly version: string;
  readonly kind: PluginKind;
  /** names of plugins that must be present (and are registered before this one) */
  readonly requires?: readonly string[];
  /** names of plugins that may not be present together with this one */
  readonly conflicts?: readonly string[];
  readonly constraints?: PluginConstraints;
  /** zod schema of the options; its defaults fill what the configuration leaves out */
  readonly options?: ZodType<Options>;
  /** one-line description for `novakit plugins` */
  readonly description?: string;
  register(context: PluginContext<Options>): void;
}

/** Identity helper that infers the options type from the schema. */
export function definePlugin<Options>(plugin: NovakitPlugin<Options>): NovakitPlugin<Options> {
  return plugin;
}
