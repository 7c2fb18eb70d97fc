import type { Platform } from "../platform/platform.js";
import type { Simulator } from "../sim/simulator.js";
import type { KernelState } from "../kernel-state/kernel-state.js";

/**
 * What one kernel learns while it boots (the platform after `discover`, the simulator after
 * the state exists). One instance per kernel container; services read it, boot code writes it.
 */
export class KernelSession {
  platform: Platform | undefined;
  simulator: Simulator | undefined;
  /** the object world, once it exists (after discover) */
  state: KernelState | undefined;
  /** CPU that console lines of plugins are attributed to (the BSP during boot) */
  logCpu = 0;
  /** true once the domains run: console lines then carry the simulated time */
  running = false;
  booted = false;
}
