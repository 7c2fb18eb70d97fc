import { container as rootContainer, type DependencyContainer } from "tsyringe";
import {
  CONFIG_DIR,
  CREATE_KERNEL_OPTIONS,
  KERNEL_CONFIG,
  KERNEL_CONSOLE,
  KERNEL_HOOKS,
  KERNEL_RANDOM,
  KERNEL_SERVICES,
  KERNEL_SESSION,
  PLUGIN_OPTIONS,
  RESOLVED_PLUGIN_ENTRIES,
  RESOLVED_PLUGINS,
  TAP_INTERCEPTOR,
  WORKLOAD_REGISTRY,
} from "../di/tokens.js";
import { createKernelHooks } from "../hooks/kernel-hooks.js";
import { TapInterceptor } from "../hooks/tap-interceptor.js";
import { PluginHost } from "../plugin/plugin-host.js";
import { resolvePlugins } from "../plugin/resolve-plugins.js";
import { SeededRandom } from "../sim/seeded-random.js";
import { WorkloadRegistry } from "../sim/workload-registry.js";
import { BUILTIN_WORKLOADS } from "../sim/workloads/builtin-workloads.js";
import type { CreateKernelOptions } from "./kernel-api.js";
import { KernelConsole } from "./kernel-console.js";
import { KernelSession } from "./kernel-session.js";
import { NovakitKernel } from "./novakit-kernel.js";
import { NovakitKernelServices } from "./novakit-kernel-services.js";

/**
 * Create a kernel: a tsyringe child container of its own (nothing is registered on the global
 * container, so kernels in one process never share state), the hooks with the tap interceptor,
 * the resolved plugins registered in order, the built-in workloads. `kernel.boot()` boots it.
 */
export function createKernel(options: CreateKernelOptions, parent: DependencyContainer = rootContainer): NovakitKernel {
  const config = options.config;
  const resolved = resolvePlugins(options.plugins, config);
  const child = parent.createChildContainer();
  const hooks = createKernelHooks();
  const interceptor = new TapInterceptor();
  interceptor.install(hooks);
  const workloads = new WorkloadRegistry();
  for (const workload of BUILTIN_WORKLOADS) workloads.register(workload, "kernel-core");

  child.register(CREATE_KERNEL_OPTIONS, { useValue: options });
  child.register(KERNEL_CONFIG, { useValue: config });
  child.register(CONFIG_DIR, { useValue: options.configDir });
  child.register(KERNEL_HOOKS, { useValue: hooks });
  child.register(TAP_INTERCEPTOR, { useValue: interceptor });
  child.register(RESOLVED_PLUGIN_ENTRIES, { useValue: resolved });
  child.register(RESOLVED_PLUGINS, { useValue: resolved.map((entry) => entry.plugin) });
  child.register(PLUGIN_OPTIONS, { useValue: new Map(resolved.map((entry) => [entry.plugin.name, entry.options])) });
  child.register(WORKLOAD_REGISTRY, { useValue: workloads });
  child.register(KERNEL_CONSOLE, { useValue: new KernelConsole() });
  child.register(KERNEL_SESSION, { useValue: new KernelSession() });
  child.register(KERNEL_RANDOM, { useValue: new SeededRandom(options.seed ?? config.seed ?? 0) });
  child.register(KERNEL_SERVICES, { useValue: child.resolve(NovakitKernelServices) });

  child.resolve(PluginHost).registerAll();
  return child.resolve(NovakitKernel);
}
