import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { parseSdtHeader, type SdtHeader } from "./sdt-header.js";
import type { TableReader } from "./table-reader.js";

/**
 * Multiple APIC Description Table ("APIC"), platform.md §5.3: local APIC address u32 at 36,
 * flags u32 at 40 (bit 0 PCAT_COMPAT), subtables from 44, each starting with type u8, length u8.
 */

/** MPS INTI flags of types 2/3/4/0xA: bits 1:0 polarity, bits 3:2 trigger mode (§5.3). */
export type Polarity = "bus-default" | "active-high" | "reserved" | "active-low";
export type TriggerMode = "bus-default" | "edge" | "reserved" | "level";
const POLARITIES: readonly Polarity[] = ["bus-default", "active-high", "reserved", "active-low"];
const TRIGGERS: readonly TriggerMode[] = ["bus-default", "edge", "reserved", "level"];
export function decodePolarity(flags: number): Polarity {
  return POLARITIES[flags & 3] ?? "reserved";
}
export function decodeTrigger(flags: number): TriggerMode {
  return TRIGGERS[(flags >> 2) & 3] ?? "reserved";
}

interface SubtableBase {
  /** byte offset of the subtable inside the MADT */
  readonly offset: number;
  readonly length: number;
}
export interface MadtLocalApic extends SubtableBase {
  readonly type: "lapic";
  readonly processorUid: number;
  readonly apicId: number;
  readonly flags: number;
  readonly enabled: boolean;
  readonly onlineCapable: boolean;
}
export interface MadtIoApic extends SubtableBase {
  readonly type: "ioapic";
  readonly ioApicId: number;
  readonly address: bigint;
  readonly gsiBase: number;
}
export interface MadtInterruptOverride extends SubtableBase {
  readonly type: "interrupt-override";
  readonly bus: number;
  readonly sourceIrq: number;
  readonly gsi: number;
  readonly flags: number;
  readonly polarity: Polarity;
  readonly trigger: TriggerMode;
}
export interface MadtNmiSource extends SubtableBase {
  readonly type: "nmi-source";
  readonly flags: number;
  readonly gsi: number;
  readonly polarity: Polarity;
  readonly trigger: TriggerMode;
}
export interface MadtLocalApicNmi extends SubtableBase {
  readonly type: "lapic-nmi";
  /** 0xFF = all processors */
  readonly processorUid: number;
  readonly flags: number;
  readonly lint: number;
  readonly polarity: Polarity;
  readonly trigger: TriggerMode;
}
export interface MadtLocalApicAddressOverride extends SubtableBase {
  readonly type: "lapic-address-override";
  readonly address: bigint;
}
export interface MadtLocalX2Apic extends SubtableBase {
  readonly type: "x2apic";
  readonly x2apicId: number;
  readonly flags: number;
  readonly enabled: boolean;
  readonly onlineCapable: boolean;
  readonly processorUid: number;
}
export interface MadtLocalX2ApicNmi extends SubtableBase {
  readonly type: "x2apic-nmi";
  readonly flags: number;
  /** 0xFFFFFFFF = all processors */
  readonly processorUid: number;
  readonly lint: number;
  readonly polarity: Polarity;
  readonly trigger: TriggerMode;
}
/** A subtable type this parser does not decode: reported, never guessed at. */
export interface MadtUnknown extends SubtableBase {
  readonly type: "unknown";
  readonly subtype: number;
}
export type MadtEntry =
  | MadtLocalApic
  | MadtIoApic
  | MadtInterruptOverride
  | MadtNmiSource
  | MadtLocalApicNmi
  | MadtLocalApicAddressOverride
  | MadtLocalX2Apic
  | MadtLocalX2ApicNmi
  | MadtUnknown;

export interface Madt {
  readonly header: SdtHeader;
  /** the 32-bit address at offset 36 */
  readonly localApicAddress32: number;
  /** the LAPIC address to use: a type-5 override wins over the 32-bit field */
  readonly localApicAddress: bigint;
  readonly flags: number;
  readonly pcatCompat: boolean;
  readonly entries: readonly MadtEntry[];
}

export const MADT_ENTRIES_OFFSET = 44;

/** Minimum subtable length per known type (platform.md §5.3 table). */
const MINIMUM_LENGTH: ReadonlyMap<number, number> = new Map([
  [0, 8],
  [1, 12],
  [2, 10],
  [3, 8],
  [4, 6],
  [5, 12],
  [9, 16],
  [0xa, 12],
]);

const LAPIC_FLAG_ENABLED = 1 << 0;
const LAPIC_FLAG_ONLINE_CAPABLE = 1 << 1;

export function parseMadt(bytes: Uint8Array, file: string): Madt {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: "APIC" });
  const localApicAddress32 = reader.u32(36, "localApicAddress");
  const flags = reader.u32(40, "flags");
  const entries: MadtEntry[] = [];
  let offset = MADT_ENTRIES_OFFSET;
  while (offset < header.length) {
    const index = entries.length;
    const type = reader.u8(offset, `entries[${index}].type`);
    const length = reader.u8(offset + 1, `entries[${index}].length`);
    const minimum = MINIMUM_LENGTH.get(type) ?? 2;
    if (length === 0 || length < minimum) {
      throw acpiError(
        AcpiDiagnostic.MADT_SUBTABLE_LENGTH,
        `APIC: subtable ${index} (type ${type}) has length ${length}; ${length === 0 ? "a length of 0 would loop forever" : `type ${type} needs at least ${minimum} bytes`}`,
        reader.location(offset + 1, `entries[${index}].length`),
      );
    }
    if (offset + length > header.length) {
      throw acpiError(
        AcpiDiagnostic.MADT_SUBTABLE_OVERRUN,
        `APIC: subtable ${index} (type ${type}, length ${length} at offset ${offset}) runs past the end of the table (${header.length} bytes)`,
        reader.location(offset + 1, `entries[${index}].length`),
      );
    }
    entries.push(parseSubtable(reader, offset, type, length, `entries[${index}]`));
    offset += length;
  }
  const override = entries.find((entry): entry is MadtLocalApicAddressOverride => entry.type === "lapic-address-override");
  return {
    header,
    localApicAddress32,
    localApicAddress: override?.address ?? BigInt(localApicAddress32),
    flags,
    pcatCompat: (flags & 1) !== 0,
    entries,
  };
}

function parseSubtable(reader: TableReader, offset: number, type: number, length: number, field: string): MadtEntry {
  const base = { offset, length };
  switch (type) {
    case 0: {
      const flags = reader.u32(offset + 4, `${field}.flags`);
      return {
        ...base,
        type: "lapic",
        processorUid: reader.u8(offset + 2, `${field}.processorUid`),
        apicId: reader.u8(offset + 3, `${field}.apicId`),
        flags,
        enabled: (flags & LAPIC_FLAG_ENABLED) !== 0,
        onlineCapable: (flags & LAPIC_FLAG_ONLINE_CAPABLE) !== 0,
      };
    }
    case 1:
      return {
        ...base,
        type: "ioapic",
        ioApicId: reader.u8(offset + 2, `${field}.ioApicId`),
        address: BigInt(reader.u32(offset + 4, `${field}.address`)),
        gsiBase: reader.u32(offset + 8, `${field}.gsiBase`),
      };
    case 2: {
      const flags = reader.u16(offset + 8, `${field}.flags`);
      return {
        ...base,
        type: "interrupt-override",
        bus: reader.u8(offset + 2, `${field}.bus`),
        sourceIrq: reader.u8(offset + 3, `${field}.sourceIrq`),
        gsi: reader.u32(offset + 4, `${field}.gsi`),
        flags,
        polarity: decodePolarity(flags),
        trigger: decodeTrigger(flags),
      };
    }
    case 3: {
      const flags = reader.u16(offset + 2, `${field}.flags`);
      return {
        ...base,
        type: "nmi-source",
        flags,
        gsi: reader.u32(offset + 4, `${field}.gsi`),
        polarity: decodePolarity(flags),
        trigger: decodeTrigger(flags),
      };
    }
    case 4: {
      const flags = reader.u16(offset + 3, `${field}.flags`);
      return {
        ...base,
        type: "lapic-nmi",
        processorUid: reader.u8(offset + 2, `${field}.processorUid`),
        flags,
        lint: reader.u8(offset + 5, `${field}.lint`),
        polarity: decodePolarity(flags),
        trigger: decodeTrigger(flags),
      };
    }
    case 5:
      return { ...base, type: "lapic-address-override", address: reader.u64(offset + 4, `${field}.address`) };
    case 9: {
      const flags = reader.u32(offset + 8, `${field}.flags`);
      return {
        ...base,
        type: "x2apic",
        x2apicId: reader.u32(offset + 4, `${field}.x2apicId`),
        flags,
        enabled: (flags & LAPIC_FLAG_ENABLED) !== 0,
        onlineCapable: (flags & LAPIC_FLAG_ONLINE_CAPABLE) !== 0,
        processorUid: reader.u32(offset + 12, `${field}.processorUid`),
      };
    }
    case 0xa: {
      // type u8, length u8, flags u16, processor UID u32, LINT# u8, 3 reserved (ACPICA actbl2.h
      // struct acpi_madt_local_x2apic_nmi)
      const flags = reader.u16(offset + 2, `${field}.flags`);
      return {
        ...base,
        type: "x2apic-nmi",
        flags,
        processorUid: reader.u32(offset + 4, `${field}.processorUid`),
        lint: reader.u8(offset + 8, `${field}.lint`),
        polarity: decodePolarity(flags),
        trigger: decodeTrigger(flags),
      };
    }
    default:
      return { ...base, type: "unknown", subtype: type };
  }
}
