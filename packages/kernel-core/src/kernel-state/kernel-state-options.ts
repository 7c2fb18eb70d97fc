import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { FrameAllocator } from "../memory/frame-allocator.js";
import type { PageTableFormat } from "../memory/page-table-format.js";
import type { PhysicalMemory } from "../memory/physical-memory.js";
import type { TableAllocator } from "../memory/radix-page-table.js";
import type { TranslationTable } from "../memory/translation-table.js";
import type { ProtectedRange } from "../objects/nova-host-space.js";
import type { Platform } from "../platform/platform.js";
import type { KernelRuntime } from "./kernel-runtime.js";
import type { KernelAllocationPolicy } from "./kernel-allocation-policy.js";

/** Builds the page table of a new host/guest/DMA space (default: the RadixPageTable engine). */
export type TranslationTableFactory = (format: PageTableFormat, allocator: TableAllocator, memory: PhysicalMemory) => TranslationTable;

/** What the runtime hands to `new KernelState(...)`. */
export interface KernelStateOptions {
  readonly platform: Platform;
  readonly hooks: KernelHooks;
  readonly runtime: KernelRuntime;
  readonly memory: PhysicalMemory;
  readonly frames: FrameAllocator;
  /** NOVA image range, protected in the NOVA host space; default: the platform's "kernel" regions */
  readonly kernelImage?: { readonly base: bigint; readonly size: bigint };
  /** further ranges NOVA keeps (DPR/TXT memory, firmware runtime services, ...) */
  readonly protectedRanges?: readonly ProtectedRange[];
  /** limit of the kernel-wide quota every PD draws from; undefined = only physical memory bounds it */
  readonly kernelMemoryBytes?: number;
  /** limit of the root PD's quota (root-pd.ts), undefined = the kernel-wide one */
  readonly rootQuotaBytes?: number;
  /** COSNUM for SCDs; 0 = COS unsupported, so COS must be 0 (§2.5). Default 0. */
  readonly cosCount?: number;
  /** KIMAX, the largest memory-encryption key id a MAD may name (§2.5). Default 0. */
  readonly keyIdMax?: number;
  /** STC frequency in Hz; ctrl_sc converts used ns into ticks with it. Default 1 GHz. */
  readonly stcFrequencyHz?: number;
  /** NOVA's `insecure` option: SMI_CMD stays accessible in the NOVA PIO space (§1.5) */
  readonly insecure?: boolean;
  /** INTPIN / INTMSI; default x86 = IOAPIC pins and the rest of the 217 GSIs, Arm = 0 */
  readonly interruptPins?: number;
  readonly interruptMsis?: number;
  /** the BSP's CPU index (CPUBSP). Default: the first enabled CPU. */
  readonly bootCpu?: number;
  readonly createTranslationTable?: TranslationTableFactory;
  /** asked before every kernel memory allocation (fault injection); default UNRESTRICTED_ALLOCATIONS */
  readonly allocationPolicy?: KernelAllocationPolicy;
}
