import type { DmaRequest, DmaResult } from "../../hooks/hook-types.js";
import type { PhysicalMemory } from "../../memory/physical-memory.js";
import type { PhysicalMemoryRange } from "./device-api.js";

/** A range of kernel memory, named ("NOVA image", "DMA root table of PD 7", ...). */
export interface KernelMemoryRange extends PhysicalMemoryRange {
  readonly label: string;
}

/**
 * What the device models need from the kernel that boots them (boot/boot-sequence.ts builds it):
 * the `dma` hook, physical memory, the kernel PRNG, and where kernel memory lies.
 */
export interface DeviceEnvironment {
  /** hooks.dma.call: the IOMMU translates or aborts; undefined = no IOMMU answered */
  readonly dma: (request: DmaRequest) => DmaResult | undefined;
  readonly memory: PhysicalMemory;
  /** the platform's memory map (RAM, reserved, ACPI, MMIO ... regions): what a DMA can decode to */
  readonly memoryRegions: readonly PhysicalMemoryRange[];
  /** the kernel's seeded PRNG (device traffic generators and disks are seeded from it) */
  readonly randomU32: () => number;
  /** kernel memory an attacker is assumed to know (devices/kernel-memory-map.ts) */
  readonly kernelMemory: () => readonly KernelMemoryRange[];
}
