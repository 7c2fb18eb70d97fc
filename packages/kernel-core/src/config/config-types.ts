import type { Arch } from "../platform/platform.js";

/**
 * The user's configuration (novakit.config.ts or JSON), as written. The CLI validates it
 * (every error names the file and the field path) and resolves plugin references into
 * plugin objects before a kernel is created from it.
 */
export interface NovakitConfig {
  /** shown in the boot log and reports */
  readonly name?: string;
  readonly arch: Arch;
  /** a built-in platform profile name (`novakit plugins` lists them) or a path to a profile JSON */
  readonly platform: string;
  /** plugins by package name or path, with options; the arch and scheduler plugins (and, on an AMD platform whose firmware has an IVRS, the AMD IOMMU plugin) are added by default */
  readonly plugins?: readonly (string | PluginReference)[];
  /** NOVA command line (reference/nova.md §8.1); unknown tokens are ignored as NOVA does */
  readonly cmdline?: string;
  readonly domains: readonly DomainConfig[];
  /** PRNG seed for the simulator; same config + seed = byte-identical boot log */
  readonly seed?: number;
  /** how long the simulator runs the domains, in simulated milliseconds */
  readonly durationMs?: number;
}

export interface PluginReference {
  /** package name ("@novakit/iommu-amd") or a path relative to the config file */
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** false removes a plugin that would be added by default */
  readonly enabled?: boolean;
}

export interface DomainConfig {
  readonly name: string;
  /** "native": a host PD whose ECs run the workload; "vm": a guest PD with vCPUs and a guest space */
  readonly kind: "native" | "vm";
  readonly memoryMiB: number;
  /** number of ECs (native) or vCPUs (vm) */
  readonly vcpus: number;
  /** CPU each EC/vCPU runs on; cycled when shorter than vcpus. Default: [0] */
  readonly cpus?: readonly number[];
  /** 1..127 */
  readonly priority: number;
  /** 1..65535 ms */
  readonly budgetMs: number;
  /** PCI functions assigned to this domain, "SSSS:BB:DD.F" or "BB:DD.F" */
  readonly devices?: readonly string[];
  /** workload name: a built-in one (`novakit plugins --workloads`) or one a plugin registers */
  readonly workload: string;
  readonly workloadOptions?: Readonly<Record<string, unknown>>;
}

/** Identity helper with full types, as vite's defineConfig. */
export function defineConfig(config: NovakitConfig): NovakitConfig {
  return config;
}
