import { inject, injectable } from "tsyringe";
import type { NovakitConfig } from "../config/config-types.js";
import { KERNEL_CONFIG, KERNEL_CONSOLE, KERNEL_HOOKS, KERNEL_RANDOM, KERNEL_SESSION } from "../di/tokens.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { Platform } from "../platform/platform.js";
import type { PhysicalMemory } from "../memory/physical-memory.js";
import { RadixPageTable } from "../memory/radix-page-table.js";
import type { TranslationTable } from "../memory/translation-table.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { AllocationSite, pageTableSite } from "../kernel-state/kernel-allocation-policy.js";
import type { SeededRandom } from "../sim/seeded-random.js";
import { formatSimulatedTime, type KernelConsole } from "./kernel-console.js";
import type { KernelSession } from "./kernel-session.js";
import { NovaCmdline } from "./nova-cmdline.js";

/** KernelServices of one kernel: what plugins may use (hooks/kernel-services.ts). */
@injectable()
export class NovakitKernelServices implements KernelServices {
  private readonly cmdline: NovaCmdline;

  constructor(
    @inject(KERNEL_HOOKS) readonly hooks: KernelHooks,
    @inject(KERNEL_CONSOLE) private readonly console: KernelConsole,
    @inject(KERNEL_RANDOM) private readonly random: SeededRandom,
    @inject(KERNEL_CONFIG) config: NovakitConfig,
    @inject(KERNEL_SESSION) private readonly session: KernelSession,
  ) {
    this.cmdline = new NovaCmdline(config.cmdline ?? "");
  }

  get platform(): Platform {
    const platform = this.session.platform;
    if (!platform) {
      throw new NovakitError("NK-KRN-215", "the platform is not known before the discover phase has run", { field: "platform" });
    }
    return platform;
  }

  log(line: string): void {
    const prefix = this.session.running ? `${formatSimulatedTime(this.nowNs())} ` : "";
    this.console.trace(this.session.logCpu, `${prefix}${line}`);
  }

  nowNs(): number {
    return this.session.simulator?.nowNs() ?? 0;
  }

  randomU32(): number {
    return this.random.nextU32();
  }

  cmdlineOption(option: string): boolean {
    return this.cmdline.has(option);
  }

  get physicalMemory(): PhysicalMemory {
    return this.kernelState("physicalMemory").memory;
  }

  allocateKernelFrames(count: number, alignmentPages: number, site: string = AllocationSite.KERNEL_FRAMES): bigint | undefined {
    const state = this.kernelState("allocateKernelFrames");
    // the allocation policy may refuse it (fault injection): the caller sees exhausted memory
    if (!state.allocationPolicy.allow(site)) return undefined;
    const base = state.frames.allocateContiguous(count, alignmentPages);
    if (base === undefined) return undefined;
    for (let frame = 0; frame < count; frame += 1) state.memory.zeroFrame(base + BigInt(frame) * 4096n);
    state.allocationPolicy.framesTaken(site, base, count, undefined);
    return base;
  }

  createKernelPageTable(): TranslationTable {
    const state = this.kernelState("createKernelPageTable");
    const format = state.formatFor("HST");
    if (format === undefined) {
      throw new NovakitError("NK-KRN-230", "no page-table format for host spaces is registered yet (the memory phase registers it)", { field: "createKernelPageTable" });
    }
    // charged to the kernel-wide quota: these tables belong to no PD
    return new RadixPageTable(format, state.tableAllocator(state.kernelQuota, pageTableSite("kernel")), state.memory);
  }

  private kernelState(what: string): KernelState {
    const state = this.session.state;
    if (!state) {
      throw new NovakitError("NK-KRN-229", `${what} is not available before the kernel state exists (the memory phase)`, { field: what });
    }
    return state;
  }
}
