import type { BootResult, DomainReport, SpaceKind } from "@novakit/kernel-core";
import type { IsolationReport } from "../commands/isolation-report.js";

/**
 * Everything `novakit report` shows, gathered from one boot (gather-report.ts) and rendered
 * without further access to the kernel (report-page.ts). Plain data, so a test can check the
 * page against it and the same boot always renders the same bytes.
 */
export interface ReportData {
  readonly header: ReportHeader;
  readonly domains: readonly DomainReport[];
  readonly graph: CapabilityGraph;
  readonly memoryMaps: readonly PdMemoryMap[];
  readonly iommus: IommuAssignments;
  readonly faults: FaultTimeline;
  /** undefined without a measured launch (no @novakit/txt-launch plugin) */
  readonly measurements: Measurements | undefined;
  readonly isolation: IsolationReport;
  readonly log: readonly string[];
}

export interface ReportHeader {
  readonly configName: string;
  /** the file the configuration came from, or "built-in default configuration" */
  readonly configLabel: string;
  /** `compose`'s content hash of the bootable configuration ("sha256:...") */
  readonly configHash: string;
  readonly novakitVersion: string;
  /** the NOVA release the kernel models (24 = [REL-24.08]) */
  readonly novaModelVersion: number;
  readonly seed: number;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly plugins: BootResult["plugins"];
  readonly stats: BootResult["stats"];
}

// ---- capability graph -------------------------------------------------------------------------

export interface GraphPd {
  readonly id: number;
  /** the domain's name, "NOVA" for the kernel's own PD, "root" for the root task's */
  readonly name: string;
  readonly role: "nova" | "root" | "domain" | "other";
  /** capabilities in the PD's object space */
  readonly capabilities: number;
}

/** Live objects one PD owns, of one subtype ("EC_GLOBAL", "HST", "SM_INT"...). */
export interface GraphObjectGroup {
  readonly ownerPd: number;
  readonly type: string;
  readonly subtype: string;
  /** object ids, ascending */
  readonly ids: readonly number[];
}

/** ctrl_pd delegations from one PD to another of one space kind, summed over the boot. */
export interface GraphDelegation {
  readonly sourcePd: number;
  readonly destinationPd: number;
  readonly kind: SpaceKind;
  /** ctrl_pd calls that delegated */
  readonly count: number;
  /** selectors (OBJ, PIO, MSR) or 4 KiB pages (HST, GST, DMA) delegated: sum of 2^order */
  readonly items: bigint;
  /** every permission mask used, OR-ed */
  readonly masks: number;
}

/** The capabilities a PD holds to objects of one subtype that one (maybe other) PD owns. */
export interface CapabilityHolding {
  readonly holderPd: number;
  readonly ownerPd: number;
  readonly subtype: string;
  readonly count: number;
  /** permission bits of those capabilities, OR-ed */
  readonly permissions: number;
}

export interface CapabilityGraph {
  readonly pds: readonly GraphPd[];
  readonly objectGroups: readonly GraphObjectGroup[];
  readonly delegations: readonly GraphDelegation[];
  readonly holdings: readonly CapabilityHolding[];
}

// ---- memory maps ------------------------------------------------------------------------------

/** Input-contiguous leaves with the same permissions, merged. */
export interface MemoryRegion {
  /** input (virtual, guest-physical or I/O virtual) byte range [start, end) */
  readonly start: bigint;
  readonly end: bigint;
  /** output address of the first byte */
  readonly outputStart: bigint;
  /** whether the output is one contiguous run too */
  readonly outputContiguous: boolean;
  readonly permissions: number;
  /** leaves merged into the region, by order (0 = 4 KiB, 9 = 2 MiB, 18 = 1 GiB) */
  readonly leavesByOrder: Readonly<Record<number, number>>;
}

export interface MemoryMapSpace {
  readonly spaceId: number;
  readonly kind: "HST" | "GST" | "DMA";
  readonly format: string;
  readonly inputBits: number;
  readonly regions: readonly MemoryRegion[];
  readonly mappedBytes: bigint;
}

export interface PdMemoryMap {
  readonly pd: number;
  readonly name: string;
  readonly spaces: readonly MemoryMapSpace[];
}

// ---- IOMMU device assignment ------------------------------------------------------------------

export interface DeviceAssignmentRow {
  /** "0000:00:03.0" */
  readonly address: string;
  readonly name: string;
  /** the configuration's domain for the device, or the one whose DMA space its DTE points at */
  readonly domain: string | undefined;
  /** what the device table and I/O page tables let the device do */
  readonly mode: "blocked" | "translated" | "passthrough";
  /** fields of the device table entry read from memory (reference/amd-iommu.md §3); undefined when no DTE was read */
  readonly dte: DteSummary | undefined;
  readonly spaceId: number | undefined;
  readonly readablePages: number;
  readonly writablePages: number;
}

export interface DteSummary {
  readonly valid: boolean;
  readonly translationValid: boolean;
  /** DTE Mode: 0 untranslated, 1-6 page-table levels */
  readonly mode: number;
  readonly domainId: number;
  readonly pageTableRoot: bigint;
  readonly read: boolean;
  readonly write: boolean;
}

export interface IommuUnitAssignments {
  /** "amd-vi@0xfed80000" */
  readonly name: string;
  readonly kind: string;
  readonly segment: number;
  readonly devices: readonly DeviceAssignmentRow[];
}

export interface IommuAssignments {
  readonly units: readonly IommuUnitAssignments[];
  /** DMA-capable functions no IOMMU translates (no IOMMU plugin, nosmmu, a segment without a unit) */
  readonly untranslated: readonly DeviceAssignmentRow[];
}

// ---- faults -----------------------------------------------------------------------------------

export interface FaultRow {
  readonly timeNs: number;
  readonly kind: string;
  readonly cpu: number | undefined;
  readonly device: string | undefined;
  /** "tenant-b (PD 259)" when the PD is a domain's, else what the plugin reported */
  readonly domain: string | undefined;
  readonly address: bigint | undefined;
  readonly access: string | undefined;
  readonly detail: string;
}

export interface FaultTimeline {
  readonly simulatedNs: number;
  readonly faults: readonly FaultRow[];
}

// ---- measured launch --------------------------------------------------------------------------

export interface PcrRow {
  readonly bank: string;
  readonly pcr: number;
  /** what the TPM held after the launch (the txt-launch plugin's report) */
  readonly measured: string;
  /** what `novakit measure` predicts for the configuration; undefined when it cannot be predicted */
  readonly predicted: string | undefined;
}

export interface MeasurementEvent {
  readonly number: number;
  readonly pcr: number;
  readonly locality: number;
  readonly typeName: string;
  readonly description: string;
  readonly digests: Readonly<Record<string, string>>;
}

export interface Measurements {
  readonly method: string;
  readonly tpm: string;
  readonly hypervisor: string;
  readonly pcrs: readonly PcrRow[];
  readonly events: readonly MeasurementEvent[];
}
