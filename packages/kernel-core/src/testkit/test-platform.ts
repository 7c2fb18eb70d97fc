import type { Arch, CpuFeature, IommuUnit, PciFunction, Platform } from "../platform/platform.js";

export interface TestPlatformOptions {
  readonly arch?: Arch;
  /** number of CPUs (default 2) */
  readonly cpus?: number;
  /** RAM in MiB, one region from 16 MiB up (default 512) */
  readonly ramMiB?: number;
  readonly vendor?: "amd" | "intel" | "arm";
  readonly features?: readonly CpuFeature[];
  readonly name?: string;
  readonly pci?: readonly PciFunction[];
  readonly iommus?: readonly IommuUnit[];
}

const MIB = 1n << 20n;

/**
 * A synthetic platform for tests: N CPUs, one RAM region, a kernel region at 0x400000 (§8.2), no
 * firmware tables, PCI functions or IOMMUs. Deterministic: same options, same platform.
 */
export function createTestPlatform(options: TestPlatformOptions = {}): Platform {
  const arch = options.arch ?? "x86_64";
  const cpus = options.cpus ?? 2;
  const vendor = options.vendor ?? (arch === "x86_64" ? "amd" : "arm");
  const defaultFeatures: readonly CpuFeature[] = arch === "x86_64" ? ["NX", "PDPE1GB", "SVM", "X2APIC"] : ["EL2"];
  return {
    name: options.name ?? `test-${arch}-${cpus}cpu`,
    arch,
    cpu: {
      vendor,
      name: "Novakit Test CPU",
      family: arch === "x86_64" ? 0x17 : 0,
      model: 0x31,
      stepping: 0,
      features: options.features ?? defaultFeatures,
      physicalAddressBits: 48,
      virtualAddressBits: 48,
    },
    cpus: Array.from({ length: cpus }, (_, index) => ({ index, hardwareId: index, enabled: true, source: "testkit" })),
    memory: [
      { base: 0x400000n, size: 0x200000n, kind: "kernel" },
      { base: 16n * MIB, size: BigInt(options.ramMiB ?? 512) * MIB, kind: "ram" },
    ],
    pci: options.pci ?? [],
    pciSegments: [],
    iommus: options.iommus ?? [],
    interruptControllers: [],
    firmware: { kind: arch === "x86_64" ? "acpi" : "fdt", tables: [], decoded: {}, properties: {} },
  };
}
