import { inject, injectable } from "tsyringe";
import { KERNEL_HOOKS, KERNEL_SERVICES, RESOLVED_PLUGIN_ENTRIES, TAP_INTERCEPTOR, WORKLOAD_REGISTRY } from "../di/tokens.js";
import { NovakitError, isNovakitError } from "../errors/novakit-error.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { TapInterceptor } from "../hooks/tap-interceptor.js";
import type { WorkloadRegistry } from "../sim/workload-registry.js";
import type { PluginContext } from "./plugin-definition.js";
import type { ResolvedPlugin } from "./resolve-plugins.js";

/**
 * Calls every resolved plugin's register(ctx) in resolution order. While a plugin registers,
 * the tap interceptor names its taps after it; workloads it registers are attributed to it.
 */
@injectable()
export class PluginHost {
  constructor(
    @inject(RESOLVED_PLUGIN_ENTRIES) readonly plugins: readonly ResolvedPlugin[],
    @inject(KERNEL_HOOKS) private readonly hooks: KernelHooks,
    @inject(KERNEL_SERVICES) private readonly services: KernelServices,
    @inject(TAP_INTERCEPTOR) private readonly interceptor: TapInterceptor,
    @inject(WORKLOAD_REGISTRY) private readonly workloads: WorkloadRegistry,
  ) {}

  registerAll(): void {
    for (const entry of this.plugins) {
      const name = entry.plugin.name;
      const context: PluginContext<unknown> = {
        pluginName: name,
        options: entry.options,
        hooks: this.hooks,
        kernel: this.services,
        registerWorkload: (definition) => this.workloads.register(definition, `plugin "${name}"`),
      };
      this.interceptor.registeringPlugin = name;
      try {
        entry.plugin.register(context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new NovakitError(
          "NK-KRN-209",
          `plugin "${name}" failed to register: ${message}${isNovakitError(error) ? ` [${error.code}]` : ""}`,
          isNovakitError(error) ? error.location : { field: entry.source },
          isNovakitError(error) ? error.hint : undefined,
        );
      } finally {
        this.interceptor.registeringPlugin = undefined;
      }
    }
  }
}
