import type { Platform } from "../platform/platform.js";
import type { KernelHooks } from "./kernel-hooks.js";

/**
 * What a plugin may use of a running kernel. Plugins get it through hook contexts and
 * PluginContext; they never see kernel internals.
 */
export interface KernelServices {
  readonly hooks: KernelHooks;
  /** the platform once `discover` has run; throws a NovakitError before that */
  readonly platform: Platform;
  /** NOVA-style console: one line per call, prefixed by the simulator with the time */
  log(line: string): void;
  /** simulated time in nanoseconds */
  nowNs(): number;
  /** the kernel's seeded PRNG: a uniformly distributed 32-bit unsigned integer */
  randomU32(): number;
  /** the parsed NOVA command line: true when an option NOVA recognises is set (prefix rule) */
  cmdlineOption(option: string): boolean;
}
