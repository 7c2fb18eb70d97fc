import type { InjectionToken } from "tsyringe";
import type { NovakitConfig } from "../config/config-types.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { NovakitPlugin } from "../plugin/plugin-definition.js";

/**
 * DI tokens. One tsyringe child container per kernel; nothing is registered on the global
 * container, so two kernels in one process never see each other.
 */
export const KERNEL_CONFIG: InjectionToken<NovakitConfig> = Symbol("novakit.KernelConfig");
export const KERNEL_HOOKS: InjectionToken<KernelHooks> = Symbol("novakit.KernelHooks");
export const RESOLVED_PLUGINS: InjectionToken<readonly NovakitPlugin[]> = Symbol("novakit.ResolvedPlugins");
/** raw plugin options by plugin name, as the configuration gave them */
export const PLUGIN_OPTIONS: InjectionToken<ReadonlyMap<string, unknown>> = Symbol("novakit.PluginOptions");
/** directory the configuration came from (profile and plugin paths are relative to it) */
export const CONFIG_DIR: InjectionToken<string> = Symbol("novakit.ConfigDir");
