import type { InterruptController, Platform, PlatformCpu, PciSegment, TpmDevice } from "@novakit/kernel-core";
import type { AcpiTableSet } from "../acpi/acpi-table-set.js";
import { parseFadt, protectedPortRanges, type Fadt } from "../acpi/fadt.js";
import { parseHpet, type Hpet } from "../acpi/hpet.js";
import { parseMadt, type Madt } from "../acpi/madt.js";
import { parseMcfg, type Mcfg } from "../acpi/mcfg.js";
import { parseTpm2, tpm2InterfaceAddress, type Tpm2 } from "../acpi/tpm2.js";
import { hex } from "../acpi/table-reader.js";
import type { PlatformProfile } from "../profiles/platform-profile.js";
import { ProfileDiagnostic, profileError } from "../profiles/profile-diagnostics.js";

/** The decoded tables NOVA reads at boot (nova.md §8.3 Acpi::init), published as firmware.decoded.acpi. */
export interface DecodedAcpi {
  readonly madt: Madt;
  readonly fadt?: Fadt;
  readonly mcfg?: Mcfg;
  readonly hpet?: Hpet;
  readonly tpm2?: Tpm2;
}

/**
 * Tables + CPU model + memory map -> Platform (kernel-core contract).
 * CPUs: MADT LAPIC and x2APIC entries that are enabled or online-capable, dense indices in MADT
 * order (an x2APIC entry repeating an APIC id already listed is skipped). Interrupt controllers:
 * the LAPIC (effective address) and every IOAPIC. PCI segments from MCFG, TPM from TPM2.
 * IOMMU units are left to IOMMU plugins; IVRS/DMAR presence is recorded in properties.
 */
export function buildPlatform(profile: PlatformProfile, tables: AcpiTableSet): Platform {
  const madtTable = tables.require("APIC", "lists the CPUs and interrupt controllers");
  const madt = parseMadt(madtTable.bytes, tables.sourceOf(madtTable));
  const fadt = decodeOptional(tables, "FACP", parseFadt);
  const mcfg = decodeOptional(tables, "MCFG", parseMcfg);
  const hpet = decodeOptional(tables, "HPET", parseHpet);
  const tpm2 = decodeOptional(tables, "TPM2", parseTpm2);

  const cpus = cpusFromMadt(madt);
  if (cpus.length === 0) {
    throw profileError(ProfileDiagnostic.NO_CPUS, "the MADT lists no enabled or online-capable processor", {
      file: tables.sourceOf(madtTable),
      field: "APIC.entries",
    });
  }
  const decoded: DecodedAcpi = {
    madt,
    ...(fadt !== undefined ? { fadt } : {}),
    ...(mcfg !== undefined ? { mcfg } : {}),
    ...(hpet !== undefined ? { hpet } : {}),
    ...(tpm2 !== undefined ? { tpm2 } : {}),
  };
  const tpm = tpm2 === undefined ? undefined : tpmDevice(tpm2);
  const rootPointer = tables.rsdpAddress;
  return {
    name: profile.name,
    arch: "x86_64",
    cpu: profile.cpu,
    cpus,
    memory: profile.memory,
    pci: profile.pci,
    pciSegments: mcfg === undefined ? [] : mcfg.allocations.map((allocation): PciSegment => ({
      segment: allocation.segment,
      ecamBase: allocation.baseAddress,
      startBus: allocation.startBus,
      endBus: allocation.endBus,
    })),
    iommus: [],
    interruptControllers: interruptControllers(madt),
    ...(tpm !== undefined ? { tpm } : {}),
    firmware: {
      kind: "acpi",
      ...(rootPointer !== undefined ? { rootPointer } : {}),
      tables: tables.tables,
      decoded: { acpi: decoded },
      properties: firmwareProperties(tables, madt, fadt, hpet),
    },
  };
}

function decodeOptional<T>(tables: AcpiTableSet, signature: string, parse: (bytes: Uint8Array, file: string) => T): T | undefined {
  const table = tables.find(signature);
  return table === undefined ? undefined : parse(table.bytes, tables.sourceOf(table));
}

export function cpusFromMadt(madt: Madt): PlatformCpu[] {
  const cpus: PlatformCpu[] = [];
  const seen = new Set<number>();
  for (const entry of madt.entries) {
    if (entry.type !== "lapic" && entry.type !== "x2apic") continue;
    if (!entry.enabled && !entry.onlineCapable) continue;
    const id = entry.type === "lapic" ? entry.apicId : entry.x2apicId;
    if (seen.has(id)) continue;
    seen.add(id);
    cpus.push({
      index: cpus.length,
      hardwareId: id,
      enabled: entry.enabled,
      source: `MADT.${entry.type === "lapic" ? "LAPIC" : "X2APIC"} uid ${entry.processorUid} at offset ${entry.offset}`,
    });
  }
  return cpus;
}

function interruptControllers(madt: Madt): InterruptController[] {
  const controllers: InterruptController[] = [
    {
      kind: "lapic",
      id: 0,
      baseAddress: madt.localApicAddress,
      details: { pcatCompat: madt.pcatCompat, addressOverridden: madt.localApicAddress !== BigInt(madt.localApicAddress32) },
    },
  ];
  for (const entry of madt.entries) {
    if (entry.type !== "ioapic") continue;
    const overrides = madt.entries.filter((other) => other.type === "interrupt-override").length;
    controllers.push({ kind: "ioapic", id: entry.ioApicId, baseAddress: entry.address, details: { gsiBase: entry.gsiBase, isaOverrides: overrides } });
  }
  return controllers;
}

function tpmDevice(tpm2: Tpm2): TpmDevice {
  return { interface: tpm2.interfaceName, baseAddress: tpm2InterfaceAddress(tpm2), source: `TPM2 start method ${tpm2.startMethod}` };
}

function firmwareProperties(tables: AcpiTableSet, madt: Madt, fadt: Fadt | undefined, hpet: Hpet | undefined): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {
    "acpi.tables": tables.tables.map((table) => table.signature.trim()).join(","),
    "acpi.ivrs": tables.has("IVRS"),
    "acpi.dmar": tables.has("DMAR"),
    "madt.pcatCompat": madt.pcatCompat,
    "madt.localApicAddress": hex(madt.localApicAddress),
  };
  if (tables.rsdp !== undefined) {
    properties["acpi.revision"] = tables.rsdp.revision;
    properties["acpi.rootTable"] = tables.rootTable ?? "RSDT";
  }
  if (fadt !== undefined) {
    properties["fadt.revision"] = fadt.header.revision;
    properties["fadt.facs"] = hex(fadt.facsAddress);
    properties["fadt.dsdt"] = hex(fadt.dsdtAddress);
    properties["fadt.sciInterrupt"] = fadt.sciInterrupt;
    properties["fadt.smiCommand"] = hex(fadt.smiCommandPort);
    properties["fadt.pm1aControl"] = hex(fadt.pm1aControlBlock);
    properties["fadt.pm1bControl"] = hex(fadt.pm1bControlBlock);
    properties["fadt.pm2Control"] = hex(fadt.pm2ControlBlock);
    properties["fadt.flags"] = hex(fadt.flags);
    properties["fadt.resetSupported"] = fadt.resetSupported;
    properties["fadt.hardwareReduced"] = fadt.hardwareReduced;
    properties["fadt.protectedPorts"] = protectedPortRanges(fadt)
      .map((range) => `${range.name}=${hex(range.port)}/${range.length}`)
      .join(",");
  }
  if (hpet !== undefined) {
    properties["hpet.address"] = hex(hpet.baseAddress.address);
    properties["hpet.comparators"] = hpet.comparators;
  }
  return properties;
}
