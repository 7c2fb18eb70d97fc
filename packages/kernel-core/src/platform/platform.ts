/**
 * The Platform is what the `discover` phase learns about the machine: an architecture plugin
 * fills it from firmware tables (ACPI on x86_64, a flattened device tree on AArch64) and a
 * platform profile (the CPU model, which firmware tables do not carry).
 *
 * Addresses are bigint (physical addresses reach 2^52); JSON output renders them as "0x..."
 * strings (see toJsonValue in platform-json.ts).
 */
export type Arch = "x86_64" | "aarch64";
export type CpuVendor = "amd" | "intel" | "arm";

/**
 * CPU features the kernel and plugins gate on. Names follow the CPUID / ID register bit they
 * come from (reference/paging.md §2.1, reference/cet.md).
 */
export type CpuFeature =
  | "VMX" // CPUID.1:ECX[5]
  | "SVM" // CPUID.80000001h:ECX[2]
  | "SMX" // CPUID.1:ECX[6]
  | "NX" // CPUID.80000001h:EDX[20]
  | "PDPE1GB" // CPUID.80000001h:EDX[26] 1 GiB pages
  | "LA57" // CPUID.(7,0):ECX[16] 5-level paging
  | "PCID" // CPUID.1:ECX[17]
  | "X2APIC" // CPUID.1:ECX[21]
  | "CET_SS" // CPUID.(7,0):ECX[7]
  | "CET_IBT" // CPUID.(7,0):EDX[20]
  | "CET_SSS" // CPUID.(7,1):EDX[18] supervisor shadow stacks
  | "TSC_DEADLINE" // CPUID.1:ECX[24]
  | "EL2" // AArch64: virtualization extensions
  | "LPA2" // AArch64: 52-bit addresses with 4 KiB granule
  | "GICV3_SYSREG"; // AArch64: GICv3 system-register CPU interface

export interface CpuModel {
  readonly vendor: CpuVendor;
  readonly name: string;
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  readonly features: readonly CpuFeature[];
  /** CPUID 0x80000008 EAX[7:0] on x86; ID_AA64MMFR0_EL1.PARange decoded on AArch64 */
  readonly physicalAddressBits: number;
  /** 48 or 57 on x86 (57 only with LA57); 48 or 52 on AArch64 */
  readonly virtualAddressBits: number;
}

export interface PlatformCpu {
  /** dense index 0..n-1, the NOVA CPU number */
  readonly index: number;
  /** local APIC / x2APIC id on x86; MPIDR affinity on AArch64 */
  readonly hardwareId: number;
  readonly enabled: boolean;
  /** where the id came from: "MADT.LAPIC", "MADT.X2APIC", "FDT /cpus/cpu@0" ... */
  readonly source: string;
}

export type MemoryKind = "ram" | "reserved" | "acpi" | "nvs" | "mmio" | "kernel";
export interface MemoryRegion {
  readonly base: bigint;
  readonly size: bigint;
  readonly kind: MemoryKind;
}

/** A PCI function, segment:bus:device.function. */
export interface PciFunction {
  readonly segment: number;
  readonly bus: number;
  readonly device: number;
  readonly function: number;
  readonly name: string;
  /** PCI class code (base class << 16 | subclass << 8 | prog-if) when known */
  readonly classCode?: number;
  /** true for functions with a DMA engine (bus masters) */
  readonly dmaCapable: boolean;
}

export interface IommuUnit {
  /** "amd-vi" (IVRS IVHD), "intel-vt-d" (DMAR DRHD), "arm-smmu-v2", "arm-smmu-v3" */
  readonly kind: "amd-vi" | "intel-vt-d" | "arm-smmu-v2" | "arm-smmu-v3";
  readonly baseAddress: bigint;
  readonly segment: number;
  /** BDF of the IOMMU's own PCI function (x86) */
  readonly deviceId?: number;
  /** firmware block it came from, e.g. "IVRS.IVHD[0] type 0x11" */
  readonly source: string;
}

export interface InterruptController {
  readonly kind: "lapic" | "ioapic" | "gicv2" | "gicv3" | "gic-its";
  readonly id: number;
  readonly baseAddress: bigint;
  /** first GSI (IOAPIC) or number of redistributors etc., kind-specific extras */
  readonly details: Readonly<Record<string, number | string | boolean>>;
}

export interface TpmDevice {
  /** TPM2 table start method / FDT compatible, e.g. "tis", "crb" */
  readonly interface: string;
  readonly baseAddress: bigint;
  readonly source: string;
}

export interface PciSegment {
  readonly segment: number;
  readonly ecamBase: bigint;
  readonly startBus: number;
  readonly endBus: number;
}

/** A firmware table as found, for `import` and for plugins that parse their own (IVRS, DMAR). */
export interface FirmwareTable {
  readonly signature: string;
  readonly address: bigint;
  readonly length: number;
  readonly revision: number;
  readonly oemId: string;
  readonly oemTableId: string;
  readonly bytes: Uint8Array;
}

export interface Platform {
  readonly name: string;
  readonly arch: Arch;
  readonly cpu: CpuModel;
  readonly cpus: readonly PlatformCpu[];
  readonly memory: readonly MemoryRegion[];
  readonly pci: readonly PciFunction[];
  readonly pciSegments: readonly PciSegment[];
  readonly iommus: readonly IommuUnit[];
  readonly interruptControllers: readonly InterruptController[];
  readonly tpm?: TpmDevice;
  readonly firmware: PlatformFirmware;
}

export interface PlatformFirmware {
  readonly kind: "acpi" | "fdt";
  /** ACPI: RSDP physical address; FDT: load address of the blob */
  readonly rootPointer?: bigint;
  readonly tables: readonly FirmwareTable[];
  /** decoded firmware facts a plugin published (e.g. "ivrs"), by name */
  readonly decoded: Readonly<Record<string, unknown>>;
  /** FDT /chosen bootargs, ACPI FADT facts and the like */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}
