import {
  parseFacs,
  parseFadt,
  parseHpet,
  parseMadt,
  parseMcfg,
  parseRsdt,
  parseTpm2,
  parseXsdt,
  type GenericAddress,
  type MadtEntry,
  type SdtHeader,
} from "@novakit/arch-x86_64";

/**
 * Novakit's decode of one table, flattened to (scope, offset, field, value) so that it can be
 * set beside iasl's listing. The values come from our parsers; the offsets are where the ACPI
 * layout (ACPICA actbl*.h, the same offsets our parsers document) puts each field. A parser that
 * reads the wrong offset therefore shows up as a value that differs from what iasl prints there.
 * Scope names are those of iasl-field-map.ts.
 */
export interface DecodedField {
  readonly scope: string;
  readonly offset: number;
  /** the field name used in iasl-field-map.ts ("apicId", "resetRegister.spaceId") */
  readonly field: string;
  /** the full path in our decoded object, for messages ("entries[3].apicId") */
  readonly path: string;
  readonly value: bigint | string;
}

export interface DecodedTable {
  readonly signature: string;
  readonly fields: readonly DecodedField[];
  /** element counts of repeated structures ("entries", "allocations") */
  readonly elementCounts: Readonly<Record<string, number>>;
}

/** Signatures with an SDT header that `decodeTable` handles, plus the header-less FACS. */
export const COMPARED_SIGNATURES: readonly string[] = ["APIC", "MCFG", "HPET", "FACP", "FACS", "TPM2", "RSDT", "XSDT"];

class FieldList {
  readonly fields: DecodedField[] = [];

  add(scope: string, offset: number, field: string, value: number | bigint | string | undefined, path = field): void {
    if (value === undefined) return; // the table is too short to hold it (older revisions)
    this.fields.push({ scope, offset, field, path, value: typeof value === "number" ? BigInt(value) : value });
  }

  header(header: SdtHeader): void {
    this.add("header", 0, "signature", header.signature, "header.signature");
    this.add("header", 4, "length", header.length, "header.length");
    this.add("header", 8, "revision", header.revision, "header.revision");
    this.add("header", 9, "checksum", header.checksum, "header.checksum");
    this.add("header", 10, "oemId", header.oemId, "header.oemId");
    this.add("header", 16, "oemTableId", header.oemTableId, "header.oemTableId");
    this.add("header", 24, "oemRevision", header.oemRevision, "header.oemRevision");
    this.add("header", 28, "creatorId", header.creatorId, "header.creatorId");
    this.add("header", 32, "creatorRevision", header.creatorRevision, "header.creatorRevision");
  }

  gas(scope: string, offset: number, name: string, gas: GenericAddress | undefined): void {
    if (gas === undefined) return;
    this.add(scope, offset, `${name}.spaceId`, gas.spaceId);
    this.add(scope, offset + 1, `${name}.bitWidth`, gas.bitWidth);
    this.add(scope, offset + 2, `${name}.bitOffset`, gas.bitOffset);
    this.add(scope, offset + 3, `${name}.accessSize`, gas.accessSize);
    this.add(scope, offset + 4, `${name}.address`, gas.address);
  }
}

/** Parse `bytes` with the Novakit parser for `signature` and flatten the result. */
export function decodeTable(signature: string, bytes: Uint8Array, source: string): DecodedTable {
  const list = new FieldList();
  const counts: Record<string, number> = {};
  switch (signature) {
    case "APIC": {
      const madt = parseMadt(bytes, source);
      list.header(madt.header);
      list.add("APIC", 36, "localApicAddress32", madt.localApicAddress32);
      list.add("APIC", 40, "flags", madt.flags);
      madt.entries.forEach((entry, index) => madtEntry(list, entry, index));
      counts["entries"] = madt.entries.length;
      break;
    }
    case "MCFG": {
      const mcfg = parseMcfg(bytes, source);
      list.header(mcfg.header);
      mcfg.allocations.forEach((allocation, index) => {
        const at = 44 + 16 * index;
        const path = `allocations[${index}]`;
        list.add("MCFG", at, "baseAddress", allocation.baseAddress, `${path}.baseAddress`);
        list.add("MCFG", at + 8, "segment", allocation.segment, `${path}.segment`);
        list.add("MCFG", at + 10, "startBus", allocation.startBus, `${path}.startBus`);
        list.add("MCFG", at + 11, "endBus", allocation.endBus, `${path}.endBus`);
      });
      counts["allocations"] = mcfg.allocations.length;
      break;
    }
    case "HPET": {
      const hpet = parseHpet(bytes, source);
      list.header(hpet.header);
      list.add("HPET", 36, "eventTimerBlockId", hpet.eventTimerBlockId);
      list.gas("HPET", 40, "baseAddress", hpet.baseAddress);
      list.add("HPET", 52, "sequence", hpet.sequence);
      list.add("HPET", 53, "minimumTick", hpet.minimumTick);
      list.add("HPET", 55, "pageProtection", hpet.pageProtection);
      break;
    }
    case "FACP": {
      const fadt = parseFadt(bytes, source);
      list.header(fadt.header);
      list.add("FACP", 36, "facsAddress32", fadt.facsAddress32);
      list.add("FACP", 40, "dsdtAddress32", fadt.dsdtAddress32);
      list.add("FACP", 45, "preferredPmProfile", fadt.preferredPmProfile);
      list.add("FACP", 46, "sciInterrupt", fadt.sciInterrupt);
      list.add("FACP", 48, "smiCommandPort", fadt.smiCommandPort);
      list.add("FACP", 52, "acpiEnable", fadt.acpiEnable);
      list.add("FACP", 53, "acpiDisable", fadt.acpiDisable);
      list.add("FACP", 56, "pm1aEventBlock", fadt.pm1aEventBlock);
      list.add("FACP", 60, "pm1bEventBlock", fadt.pm1bEventBlock);
      list.add("FACP", 64, "pm1aControlBlock", fadt.pm1aControlBlock);
      list.add("FACP", 68, "pm1bControlBlock", fadt.pm1bControlBlock);
      list.add("FACP", 72, "pm2ControlBlock", fadt.pm2ControlBlock);
      list.add("FACP", 76, "pmTimerBlock", fadt.pmTimerBlock);
      list.add("FACP", 88, "pm1EventLength", fadt.pm1EventLength);
      list.add("FACP", 89, "pm1ControlLength", fadt.pm1ControlLength);
      list.add("FACP", 90, "pm2ControlLength", fadt.pm2ControlLength);
      list.add("FACP", 91, "pmTimerLength", fadt.pmTimerLength);
      list.add("FACP", 109, "bootFlags", fadt.bootFlags);
      list.add("FACP", 112, "flags", fadt.flags);
      list.gas("FACP", 116, "resetRegister", fadt.resetRegister);
      list.add("FACP", 128, "resetValue", fadt.resetValue);
      list.add("FACP", 131, "minorRevision", fadt.minorRevision);
      list.add("FACP", 132, "xFacsAddress", fadt.xFacsAddress);
      list.add("FACP", 140, "xDsdtAddress", fadt.xDsdtAddress);
      list.gas("FACP", 172, "xPm1aControlBlock", fadt.xPm1aControlBlock);
      list.gas("FACP", 184, "xPm1bControlBlock", fadt.xPm1bControlBlock);
      list.gas("FACP", 196, "xPm2ControlBlock", fadt.xPm2ControlBlock);
      list.gas("FACP", 244, "sleepControl", fadt.sleepControl);
      list.gas("FACP", 256, "sleepStatus", fadt.sleepStatus);
      list.add("FACP", 268, "hypervisorId", fadt.hypervisorId);
      break;
    }
    case "FACS": {
      const facs = parseFacs(bytes, source);
      list.add("FACS", 4, "length", facs.length);
      list.add("FACS", 8, "hardwareSignature", facs.hardwareSignature);
      list.add("FACS", 12, "firmwareWakingVector", facs.firmwareWakingVector);
      list.add("FACS", 20, "flags", facs.flags);
      list.add("FACS", 24, "xFirmwareWakingVector", facs.xFirmwareWakingVector);
      list.add("FACS", 32, "version", facs.version);
      break;
    }
    case "TPM2": {
      const tpm2 = parseTpm2(bytes, source);
      list.header(tpm2.header);
      list.add("TPM2", 36, "platformClass", tpm2.platformClass);
      list.add("TPM2", 40, "controlAreaAddress", tpm2.controlAreaAddress);
      list.add("TPM2", 48, "startMethod", tpm2.startMethod);
      list.add("TPM2", 64, "logAreaMinimumLength", tpm2.logAreaMinimumLength);
      list.add("TPM2", 68, "logAreaStartAddress", tpm2.logAreaStartAddress);
      break;
    }
    case "RSDT":
    case "XSDT": {
      const root = signature === "RSDT" ? parseRsdt(bytes, source) : parseXsdt(bytes, source);
      const size = signature === "RSDT" ? 4 : 8;
      list.header(root.header);
      root.entries.forEach((entry, index) => list.add(signature, 36 + size * index, "entry", entry, `entries[${index}]`));
      counts["entries"] = root.entries.length;
      break;
    }
    default:
      throw new Error(`decodeTable: no Novakit parser is compared for signature ${signature}`);
  }
  return { signature, fields: list.fields, elementCounts: counts };
}

/** The MADT subtable type number our decode stands for (platform.md §5.3 type table). */
function madtTypeNumber(entry: MadtEntry): number {
  switch (entry.type) {
    case "lapic":
      return 0;
    case "ioapic":
      return 1;
    case "interrupt-override":
      return 2;
    case "nmi-source":
      return 3;
    case "lapic-nmi":
      return 4;
    case "lapic-address-override":
      return 5;
    case "x2apic":
      return 9;
    case "x2apic-nmi":
      return 0xa;
    case "unknown":
      return entry.subtype;
  }
}

export function madtScope(type: number): string {
  return `APIC subtable ${type.toString(16).toUpperCase().padStart(2, "0")}`;
}

function madtEntry(list: FieldList, entry: MadtEntry, index: number): void {
  const type = madtTypeNumber(entry);
  const scope = madtScope(type);
  const at = entry.offset;
  const add = (offset: number, field: string, value: number | bigint): void =>
    list.add(scope, at + offset, field, value, `entries[${index}].${field}`);
  add(0, "type", type);
  add(1, "length", entry.length);
  switch (entry.type) {
    case "lapic":
      add(2, "processorUid", entry.processorUid);
      add(3, "apicId", entry.apicId);
      add(4, "flags", entry.flags);
      break;
    case "ioapic":
      add(2, "ioApicId", entry.ioApicId);
      add(4, "address", entry.address);
      add(8, "gsiBase", entry.gsiBase);
      break;
    case "interrupt-override":
      add(2, "bus", entry.bus);
      add(3, "sourceIrq", entry.sourceIrq);
      add(4, "gsi", entry.gsi);
      add(8, "flags", entry.flags);
      break;
    case "nmi-source":
      add(2, "flags", entry.flags);
      add(4, "gsi", entry.gsi);
      break;
    case "lapic-nmi":
      add(2, "processorUid", entry.processorUid);
      add(3, "flags", entry.flags);
      add(5, "lint", entry.lint);
      break;
    case "lapic-address-override":
      add(4, "address", entry.address);
      break;
    case "x2apic":
      add(4, "x2apicId", entry.x2apicId);
      add(8, "flags", entry.flags);
      add(12, "processorUid", entry.processorUid);
      break;
    case "x2apic-nmi":
      add(2, "flags", entry.flags);
      add(4, "processorUid", entry.processorUid);
      add(8, "lint", entry.lint);
      break;
    case "unknown":
      break;
  }
}
