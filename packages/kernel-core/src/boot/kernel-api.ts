import type { PluginReportValue } from "../hooks/hook-types.js";
import type { NovakitConfig } from "../config/config-types.js";
import type { FaultEvent } from "../hooks/hook-types.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { Platform } from "../platform/platform.js";
import type { NovakitPlugin } from "../plugin/plugin-definition.js";
import type { EcBody } from "../sim/workload.js";
import type { KernelAllocationPolicy } from "../kernel-state/kernel-allocation-policy.js";

/**
 * CONTRACT between kernel-core and the CLI / test kit.
 */
export interface PluginRequest {
  readonly plugin: NovakitPlugin<unknown>;
  /** raw options from the configuration; validated by the plugin's schema during resolution */
  readonly options?: unknown;
  /** where the request came from, for error messages: "novakit.config.ts: plugins[2]" */
  readonly source: string;
}

export interface CreateKernelOptions {
  readonly config: NovakitConfig;
  readonly plugins: readonly PluginRequest[];
  /** directory of the configuration file; "." for built-in configurations */
  readonly configDir: string;
  /** the configuration's file name, for messages */
  readonly configFile?: string;
  /** overrides config.seed */
  readonly seed?: number;
  /**
   * replaces the built-in root task (which builds config.domains) with this body on the root EC;
   * for tests that drive hypercalls from the root PD directly. Added by A2.
   */
  readonly rootTask?: EcBody;
  /**
   * asked before every kernel memory allocation of the boot (kernel-state/kernel-allocation-policy.ts):
   * fault injection fails the k-th; default: allocations fail only when memory runs out
   */
  readonly allocationPolicy?: KernelAllocationPolicy;
}

export interface DomainReport {
  readonly name: string;
  readonly pd: number;
  readonly ecs: number;
  /** consumed time per SC in ns, as ctrl_sc reports it */
  readonly scUsedNs: readonly number[];
  readonly memoryBytes: number;
  /** workload-specific results (counters, hashes) */
  readonly results: Readonly<Record<string, string | number | boolean>>;
}

export interface BootResult {
  readonly configName: string;
  readonly seed: number;
  readonly platform: Platform;
  /** the console, in NOVA's style, one line per entry */
  readonly log: readonly string[];
  readonly hip: Uint8Array;
  readonly domains: readonly DomainReport[];
  readonly faults: readonly FaultEvent[];
  readonly stats: {
    readonly simulatedNs: number;
    readonly hypercalls: number;
    readonly ipcCalls: number;
    readonly contextSwitches: number;
    readonly objects: number;
  };
  /** plugin name -> version, in registration order */
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
  /** what plugins filed on the `report` hook, by plugin name, keys sorted */
  readonly pluginReports: Readonly<Record<string, Readonly<Record<string, PluginReportValue>>>>;
}

export interface Kernel {
  readonly services: KernelServices;
  boot(): Promise<BootResult>;
}
