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
   * (added by A1) the object the selector named, already looked up and permission-checked by
   * the kernel: the DMA space of assign_dev, the interrupt SM of assign_int. Plugins cannot
   * reach kernel objects otherwise.
   */
  readonly target?: HypercallTarget;
}

/** (added by A1) A kernel object handed to a plugin-implemented hypercall. */
export type HypercallTarget =
  | {
      readonly type: "space";
      readonly id: number;
      readonly kind: SpaceKind;
      readonly ownerPd: number;
      /** the page table of a DMA/GST/HST space (an IOMMU points its device table entry at it) */
      readonly table?: TranslationTable;
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
}

export interface ShutdownEvent {
  readonly timeNs: number;
  readonly reason: string;
}
