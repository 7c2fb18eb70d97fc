import type { Platform } from "../platform/platform.js";
import type { PhysicalMemory } from "../memory/physical-memory.js";
import type { TranslationTable } from "../memory/translation-table.js";
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
  /**
   * The machine's physical memory: where device tables, command queues and event logs live and
   * what device DMA reads and writes. Throws a NovakitError before the kernel state exists
   * (before the `memory` phase).
   */
  readonly physicalMemory: PhysicalMemory;
  /**
   * `count` contiguous, zeroed frames of kernel memory aligned to `alignmentPages` frames (an
   * IOMMU's 2 MiB device table, its 4 KiB queues), taken from the kernel's own frame pool as
   * NOVA's buddy allocator does; undefined when kernel memory is exhausted (or the kernel's
   * allocation policy refuses it: fault injection). `site` names the allocation in fault-injection
   * reports ("iommu:devtab"); default "kernel-frames".
   */
  allocateKernelFrames(count: number, alignmentPages: number, site?: string): bigint | undefined;
  /**
   * A new, empty page table in the format the `memory` phase registered for
   * host spaces (HST), its tables taken from kernel memory: for the hypervisor's own CPU-local
   * mappings, which no capability reaches (NOVA maps each CPU's supervisor shadow stack this way,
   * reference/cet.md §7). Throws a NovakitError before the HST format is registered. Optional only
   * so that hand-made KernelServices in tests keep compiling; the kernel always provides it.
   */
  createKernelPageTable?(): TranslationTable;
}
