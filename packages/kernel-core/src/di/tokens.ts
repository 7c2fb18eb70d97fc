import type { InjectionToken } from "tsyringe";
import type { NovakitConfig } from "../config/config-types.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { NovakitPlugin } from "../plugin/plugin-definition.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { TapInterceptor } from "../hooks/tap-interceptor.js";
import type { KernelConsole } from "../boot/kernel-console.js";
import type { WorkloadRegistry } from "../sim/workload-registry.js";
import type { SeededRandom } from "../sim/seeded-random.js";
import type { CreateKernelOptions } from "../boot/kernel-api.js";
import type { ResolvedPlugin } from "../plugin/resolve-plugins.js";
import type { KernelSession } from "../boot/kernel-session.js";

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

// ---- runtime services of one kernel (engineer A2) ----

export const KERNEL_SERVICES: InjectionToken<KernelServices> = Symbol("novakit.KernelServices");
export const TAP_INTERCEPTOR: InjectionToken<TapInterceptor> = Symbol("novakit.TapInterceptor");
export const KERNEL_CONSOLE: InjectionToken<KernelConsole> = Symbol("novakit.KernelConsole");
export const WORKLOAD_REGISTRY: InjectionToken<WorkloadRegistry> = Symbol("novakit.WorkloadRegistry");
export const KERNEL_RANDOM: InjectionToken<SeededRandom> = Symbol("novakit.KernelRandom");
export const CREATE_KERNEL_OPTIONS: InjectionToken<CreateKernelOptions> = Symbol("novakit.CreateKernelOptions");
/** plugins after resolution, with their parsed options (plugin/resolve-plugins.ts) */
export const RESOLVED_PLUGIN_ENTRIES: InjectionToken<readonly ResolvedPlugin[]> = Symbol("novakit.ResolvedPluginEntries");
export const KERNEL_SESSION: InjectionToken<KernelSession> = Symbol("novakit.KernelSession");
