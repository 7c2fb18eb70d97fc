import { inject, injectable } from "tsyringe";
import type { CreateKernelOptions } from "./kernel-api.js";
import {
  CONFIG_DIR,
  CREATE_KERNEL_OPTIONS,
  KERNEL_CONFIG,
  KERNEL_CONSOLE,
  KERNEL_HOOKS,
  KERNEL_RANDOM,
  KERNEL_SERVICES,
  KERNEL_SESSION,
  RESOLVED_PLUGIN_ENTRIES,
  TAP_INTERCEPTOR,
  WORKLOAD_REGISTRY,
} from "../di/tokens.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { NovakitConfig } from "../config/config-types.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { TapInterceptor, TapTiming } from "../hooks/tap-interceptor.js";
import type { ResolvedPlugin } from "../plugin/resolve-plugins.js";
import type { SeededRandom } from "../sim/seeded-random.js";
import type { WorkloadRegistry } from "../sim/workload-registry.js";
import { runBoot } from "./boot-sequence.js";
import type { BootResult, Kernel } from "./kernel-api.js";
import type { KernelConsole } from "./kernel-console.js";
import type { KernelSession } from "./kernel-session.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { Simulator } from "../sim/simulator.js";
import { MemorySpace } from "../objects/memory-space.js";
import type { MemorySpaceView } from "./memory-space-view.js";

/** One kernel instance, resolved from its own child container (boot/create-kernel.ts). */
@injectable()
export class NovakitKernel implements Kernel {
  constructor(
    @inject(KERNEL_SERVICES) readonly services: KernelServices,
    @inject(KERNEL_CONFIG) private readonly config: NovakitConfig,
    @inject(CONFIG_DIR) private readonly configDir: string,
    @inject(CREATE_KERNEL_OPTIONS) private readonly options: CreateKernelOptions,
    @inject(RESOLVED_PLUGIN_ENTRIES) readonly plugins: readonly ResolvedPlugin[],
    @inject(KERNEL_HOOKS) readonly hooks: KernelHooks,
    @inject(KERNEL_CONSOLE) private readonly console: KernelConsole,
    @inject(KERNEL_SESSION) private readonly session: KernelSession,
    @inject(TAP_INTERCEPTOR) private readonly interceptor: TapInterceptor,
    @inject(WORKLOAD_REGISTRY) readonly workloads: WorkloadRegistry,
    @inject(KERNEL_RANDOM) private readonly random: SeededRandom,
  ) {}

  /** the seed the simulation runs with (options.seed, else config.seed, else 0) */
  get seed(): number {
    return this.options.seed ?? this.config.seed ?? 0;
  }

  async boot(): Promise<BootResult> {
    if (this.session.booted) {
      throw new NovakitError("NK-KRN-216", "this kernel has booted already; create a new kernel for another boot");
    }
    this.session.booted = true;
    return runBoot({
      config: this.config,
      configDir: this.configDir,
      seed: this.seed,
      plugins: this.plugins,
      hooks: this.hooks,
      services: this.services,
      console: this.console,
      session: this.session,
      interceptor: this.interceptor,
      workloads: this.workloads,
      random: this.random,
      ...(this.options.rootTask ? { rootTask: this.options.rootTask } : {}),
      ...(this.options.allocationPolicy ? { allocationPolicy: this.options.allocationPolicy } : {}),
    });
  }

  /** the kernel's state and simulator once boot() created them (tests, inspection tools) */
  get internals(): { readonly state: KernelState | undefined; readonly simulator: Simulator | undefined } {
    return { state: this.session.state, simulator: this.session.simulator };
  }

  /** every live host, guest and DMA space, by object id; empty before boot() */
  memorySpaces(): MemorySpaceView[] {
    const state = this.session.state;
    if (state === undefined) return [];
    const views: MemorySpaceView[] = [];
    for (const object of state.objects.all()) {
      if (object instanceof MemorySpace && !object.dying) {
        views.push({ id: object.id, kind: object.kind, pdId: object.pd.id, table: object.table });
      }
    }
    return views.sort((a, b) => a.id - b.id);
  }

  /** wall-clock cost of every plugin's taps per hook (diagnostics; never used by the simulation) */
  tapTimings(): TapTiming[] {
    return this.interceptor.timingReport();
  }
}
