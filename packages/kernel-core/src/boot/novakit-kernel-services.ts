import { inject, injectable } from "tsyringe";
import type { NovakitConfig } from "../config/config-types.js";
import { KERNEL_CONFIG, KERNEL_CONSOLE, KERNEL_HOOKS, KERNEL_RANDOM, KERNEL_SESSION } from "../di/tokens.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { Platform } from "../platform/platform.js";
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
}
