import { NovakitError } from "../../errors/novakit-error.js";
import type { PciFunction } from "../../platform/platform.js";
import type { MemoryOwner, PhysicalMemoryMap } from "./device-api.js";
import type { DeviceEnvironment, KernelMemoryRange } from "./device-environment.js";
import { DomainDevices } from "./domain-devices.js";
import { DomainMemory, type DomainMemoryBlock } from "./domain-memory.js";
import { formatPciAddress, sbdfOf } from "./pci-device-kind.js";

/**
 * Every domain's memory and devices in one booted machine: it builds the device models of each
 * domain (one model per PCI function, owned by exactly one domain), classifies where DMA landed
 * (own / another domain / kernel / nobody) and answers the attacker's physical memory map.
 * One instance per kernel boot (the root task makes it); nothing here is shared between kernels.
 */
export class MachineDevices {
  private readonly domains: DomainDevices[] = [];
  private readonly owners = new Map<number, string>();
  private kernelRanges: readonly KernelMemoryRange[] | undefined;
  constructor(readonly environment: DeviceEnvironment) {}

  /** Build a domain's memory ledger and the models of its devices (in configuration order). */
  addDomain(name: string, blocks: readonly DomainMemoryBlock[], functions: readonly PciFunction[]): DomainDevices {
    for (const fn of functions) {
      const sbdf = sbdfOf(fn);
      const owner = this.owners.get(sbdf);
      if (owner !== undefined) {
        throw new NovakitError(
          "NK-DEV-005",
          `device ${formatPciAddress(fn)} is assigned to both "${owner}" and "${name}"`,
          { field: "devices" },
          "a PCI function's DMA engine can belong to one domain only",
        );
      }
      this.owners.set(sbdf, name);
    }
    const memory = new DomainMemory(name, blocks, this.environment.memory);
    const domain = new DomainDevices(name, memory, functions, this, {
      translate: this.environment.dma,
      memory: this.environment.memory,
      decodes: (physical, length) => this.decodes(physical, length),
    });
    this.domains.push(domain);
    return domain;
  }

  /** Fix the kernel memory map once the root task made every space (before workloads run). */
  freezeKernelMemory(): void {
    this.kernelRanges = [...this.environment.kernelMemory()];
  }

  /** true when one region of the platform's memory map holds [physical, +length) */
  decodes(physical: bigint, length: number): boolean {
    const end = physical + BigInt(length);
    return this.environment.memoryRegions.some((region) => physical >= region.base && end <= region.base + region.size);
  }

  /** whose memory [physical, +length) is, seen from domain `issuer` */
  classify(physical: bigint, length: number, issuer: string): MemoryOwner {
    for (const domain of this.domains) {
      if (domain.memory.owns(physical, length)) return domain.name === issuer ? { kind: "own" } : { kind: "domain", name: domain.name };
    }
    for (const range of this.kernel()) {
      if (physical < range.base + range.size && physical + BigInt(length) > range.base) return { kind: "kernel", label: range.label };
    }
    return { kind: "unowned" };
  }

  physicalMemoryMap(): PhysicalMemoryMap {
    return {
      domains: this.domains.map((domain) => ({
        name: domain.name,
        base: domain.memory.base,
        size: domain.memory.size,
        hostRanges: domain.memory.hostRanges(),
      })),
      kernel: this.kernel().map((range) => ({ ...range })),
    };
  }

  private kernel(): readonly KernelMemoryRange[] {
    return this.kernelRanges ?? this.environment.kernelMemory();
  }
}
