import type { MemoryRegion, PciFunction } from "@novakit/kernel-core";
import type { X86CpuModel } from "./x86-cpu-model.js";

/**
 * A platform profile: what firmware tables do not say about a machine (the CPU model, the memory
 * map as the boot loader would hand it over, the PCI functions) plus where its tables are.
 */
export interface PlatformProfile {
  readonly name: string;
  readonly description: string;
  readonly cpu: X86CpuModel;
  readonly memory: readonly MemoryRegion[];
  readonly pci: readonly PciFunction[];
  /** absolute path of an acpidump text file, a raw table file or a folder of raw tables */
  readonly firmwareTables: string;
  /** sources and assumptions, for people reading `novakit check` output */
  readonly notes?: readonly string[];
}
