import type { Status } from "../abi/status.js";
import type { HypercallName } from "../abi/hypercall-numbers.js";
import type { NovakitConfig } from "../config/config-types.js";
import type { Platform, PlatformCpu } from "../platform/platform.js";
import type { PageTableFormat } from "../memory/page-table-format.js";
import type { TranslationTable } from "../memory/translation-table.js";
import type { KernelServices } from "./kernel-services.js";

/** Space kinds, the PD subtypes of NOVA (reference/nova.md §1.1). */
export type SpaceKind = "OBJ" | "HST" | "GST" | "DMA" | "PIO" | "MSR";
export type PhaseName = "discover" | "launch" | "memory" | "cpu" | "iommu" | "root" | "start";

/** discover: an arch plugin turns firmware tables into the Platform; others may decode more. */
export interface DiscoverContext {
  readonly config: NovakitConfig;
  /** directory of the configuration file, for profile paths relative to it */
  readonly configDir: string;
  platform: Platform | undefined;
}

/** launch: a measured-launch plugin measures what is launched. */
export interface LaunchContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
  /**
   * the resolved plugins in registration order, with their versions and
   * parsed options: the composed hypervisor a measured launch measures.
   */
  readonly plugins?: readonly LaunchPluginEntry[];
}

/** One plugin of the composed hypervisor, as the launch measures it. */
export interface LaunchPluginEntry {
  readonly name: string;
  readonly version: string;
  /** options after the plugin's schema applied its defaults */
  readonly options: unknown;
}

/** memory: the arch (and IOMMU) plugins register the page-table format of each space kind. */
export interface MemoryContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
  registerFormat(kind: "HST" | "GST" | "DMA", format: PageTableFormat): void;
}

/** Architectural state of one CPU that boot code programs (control registers, MSRs). */
export interface CpuState {
  readonly cpu: PlatformCpu;
  /** CR0/CR3/CR4 on x86; SCTLR_EL2/TCR_EL2/... on AArch64, by name */
  readonly controlRegisters: Map<string, bigint>;
  /** model-specific / system registers by number */
  readonly msrs: Map<number, bigint>;
}

/** cpu: per-CPU initialisation, called once for every CPU in index order. */
export interface CpuContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
  readonly state: CpuState;
}

/** iommu: IOMMU units come up; every device's DMA is blocked until assigned. */
export interface IommuContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
}

/** root: the root PD exists with its initial capabilities and the HIP. */
export interface RootContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
  readonly hip: Uint8Array;
}

/** start: the scheduler starts and the root task builds the configured domains. */
export interface StartContext {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly kernel: KernelServices;
}

/** A hypercall a plugin may implement (ctrl_hw, assign_dev, ...). */
export interface HypercallInvocation {
  readonly name: HypercallName;
  /** flag nibble, bits 7:4 of the identifier byte */
  readonly flags: number;
  /** selector from bits 63:8 of the first argument */
  readonly selector: bigint;
  /** p1..p4 */
  readonly args: readonly bigint[];
  /** PD of the calling EC */
  readonly callerPd: number;
  readonly callerIsRoot: boolean;
  readonly cpu: number;
  /**
   * the object the selector named, already looked up and permission-checked by
   * the kernel: the DMA space of assign_dev, the interrupt SM of assign_int. Plugins cannot
   * reach kernel objects otherwise.
   */
  readonly target?: HypercallTarget;
}

/** A kernel object handed to a plugin-implemented hypercall. */
export type HypercallTarget =
  | {
      readonly type: "space";
      readonly id: number;
      readonly kind: SpaceKind;
      readonly ownerPd: number;
      /** the page table of a DMA/GST/HST space (an IOMMU points its device table entry at it) */
      readonly table?: TranslationTable;
      /**
       * take one more reference on the space, as NOVA's try_inc: false when
       * the space is dying. An IOMMU holds one for every device table entry that points at the
       * space (nova.md §4.6 step 4) and drops it with `release` only after the invalidation.
       */
      readonly retain?: () => boolean;
      /** drop a reference taken with `retain`; the last one destroys the space */
      readonly release?: () => void;
    }
  | { readonly type: "semaphore"; readonly id: number; readonly interruptId?: number };
export interface HypercallOutcome {
  readonly status: Status;
  /** values returned in p1, p2 ... */
  readonly results?: readonly bigint[];
}

export interface ObjectCreatedEvent {
  readonly type: "PD" | "EC" | "SC" | "PT" | "SM";
  readonly subtype: string;
  readonly id: number;
  readonly ownerPd: number;
  readonly cpu?: number;
}

export interface DelegationEvent {
  readonly kind: SpaceKind;
  readonly sourcePd: number;
  readonly destinationPd: number;
  readonly sourceBase: bigint;
  readonly destinationBase: bigint;
  readonly order: number;
  readonly mask: number;
}

export interface MappingEvent {
  readonly kind: "HST" | "GST" | "DMA";
  /** the space object's id */
  readonly spaceId: number;
  readonly ownerPd: number;
  /** input page number (VA >> 12) */
  readonly page: bigint;
  readonly order: number;
  /** output frame number, undefined on unmap */
  readonly frame?: bigint;
  readonly permissions: number;
  /**
   * On unmap, where the kernel offers it (ctrl_pd delegation): an invalidating tap (an IOMMU)
   * calls this when its invalidation did not complete, and the kernel then keeps the tables the
   * unmap emptied quarantined instead of freeing them for reuse.
   */
  readonly invalidationTimedOut?: () => void;
}

export interface DmaRequest {
  /** segment << 16 | bus << 8 | device << 3 | function */
  readonly sbdf: number;
  readonly address: bigint;
  readonly length: number;
  readonly write: boolean;
  /** data for a write */
  readonly data?: Uint8Array;
}
export type DmaResult =
  | { readonly ok: true; readonly physicalAddress: bigint; readonly data?: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/**
 * What `novakit check --isolation` asks an IOMMU plugin: walk the real device tables and I/O
 * page tables (not the plugin's bookkeeping) and say what each DMA-capable PCI function can reach.
 */
export interface DmaReachRequest {
  /** segment << 16 | bus << 8 | device << 3 | function of each function to walk */
  readonly devices: readonly number[];
}

/** One contiguous run of I/O virtual pages a device can use, and the frames behind them. */
export interface DmaReachRange {
  readonly iova: bigint;
  readonly physicalAddress: bigint;
  /** bytes, a multiple of 4 KiB */
  readonly size: bigint;
  readonly read: boolean;
  readonly write: boolean;
}

export interface DeviceDmaReach {
  readonly sbdf: number;
  /** the IOMMU that translates this device ("amd-vi@0xfeb00000"), undefined when none does */
  readonly iommu?: string;
  /**
   * "blocked": every request aborts (V=1, TV=0); "translated": through `ranges`;
   * "passthrough": untranslated, the whole of physical memory (V=0 or no IOMMU)
   */
  readonly mode: "blocked" | "translated" | "passthrough";
  /** the DMA space the device table entry points at (its object id), when translated */
  readonly spaceId?: number;
  readonly ranges: readonly DmaReachRange[];
}

export interface DmaReachReport {
  readonly devices: readonly DeviceDmaReach[];
}

export interface FaultEvent {
  /** "dma" (IOMMU), "cp" (#CP), "page" (#PF), "exception" */
  readonly kind: "dma" | "cp" | "page" | "exception";
  readonly timeNs: number;
  readonly cpu?: number;
  readonly domain?: string;
  readonly device?: string;
  readonly address?: bigint;
  readonly access?: "read" | "write" | "execute";
  readonly detail: string;
}

export interface TickEvent {
  readonly cpu: number;
  readonly timeNs: number;
}

export interface MeasureEvent {
  readonly pcr: number;
  readonly locality: number;
  readonly description: string;
  readonly digests: Readonly<Record<string, string>>;
  /** the TCG event type of the log record (EV_EVENT_TAG, EVTYPE_MLE_HASH, ...) */
  readonly eventType?: number;
  /** the event data of the log record, so a listener can rebuild the log */
  readonly eventData?: Uint8Array;
}

/** A plugin's figures for the boot result (counters, states): what a summary or a report shows. */
export type PluginReportValue = number | string | boolean;

/**
 * The `report` hook's collector: each plugin files its figures under its own name once the
 * simulation ended, so tools read them from BootResult.pluginReports instead of parsing the log.
 */
export interface PluginReportCollector {
  file(plugin: string, figures: Readonly<Record<string, PluginReportValue>>): void;
}

export interface ShutdownEvent {
  readonly timeNs: number;
  readonly reason: string;
}
