/**
 * THE mapping from iasl's field names to the fields of Novakit's decoded tables. It is the only
 * place where the two vocabularies meet; `compare-with-iasl.ts` reads nothing else.
 *
 * How a .dsl line finds its Novakit field:
 *  1. The line's scope: "header" for offsets 0..35 of a table with an SDT header; "FACS" for the
 *     whole FACS (no SDT header); "APIC subtable NN" for MADT lines at or after a
 *     `Subtable Type : NN` line (NN = the type in hex); otherwise the table signature.
 *  2. Inside a `Name : [Generic Address Structure]` heading (12 bytes), the line belongs to that
 *     GAS: `GAS_CONTAINERS[signature][Name]` gives our property (e.g. "resetRegister") and
 *     `GAS_FIELDS[line name]` the member, joined as "resetRegister.spaceId". GAS headings not
 *     listed here (PM1A Event Block, GPE0 Block, ...) are blocks our parsers do not decode.
 *  3. Otherwise `SCOPE_FIELDS[scope][line name]` names the field; for MADT subtables of any type
 *     `ANY_MADT_SUBTABLE` supplies "type" (+0) and "length" (+1). Where iasl uses one name at two offsets
 *     (FADT "FACS Address" at 36 and 132) the entry lists both of our fields, and the line's
 *     offset decides which one it is compared with.
 *  Names iasl prints that appear nowhere here (Reserved, C2 Latency, Model, ...) are fields our
 *  parsers do not decode; they are counted as "not mapped" and not compared.
 *  iasl's running index in "ACPI Table Address   3" is removed before the lookup.
 *
 * Our field names are those of `@novakit/arch-x86_64` (SdtHeader, Madt and its Madt* entries,
 * Mcfg, Hpet, Fadt, Facs, Tpm2, RootTable); for RSDT/XSDT "entry" is one element of `entries`.
 */

export type FieldNames = Readonly<Record<string, string | readonly string[]>>;

/** iasl 20200925 names, by scope (see above). */
export const SCOPE_FIELDS: Readonly<Record<string, FieldNames>> = {
  header: {
    Signature: "signature",
    "Table Length": "length",
    Revision: "revision",
    Checksum: "checksum",
    "Oem ID": "oemId",
    "Oem Table ID": "oemTableId",
    "Oem Revision": "oemRevision",
    "Asl Compiler ID": "creatorId",
    "Asl Compiler Revision": "creatorRevision",
  },
  APIC: {
    "Local Apic Address": "localApicAddress32",
    "Flags (decoded below)": "flags",
  },
  "APIC subtable 00": {
    "Processor ID": "processorUid",
    "Local Apic ID": "apicId",
    "Flags (decoded below)": "flags",
  },
  "APIC subtable 01": {
    "I/O Apic ID": "ioApicId",
    Address: "address",
    Interrupt: "gsiBase",
  },
  "APIC subtable 02": {
    Bus: "bus",
    Source: "sourceIrq",
    Interrupt: "gsi",
    "Flags (decoded below)": "flags",
  },
  "APIC subtable 03": {
    "Flags (decoded below)": "flags",
    Interrupt: "gsi",
  },
  "APIC subtable 04": {
    "Processor ID": "processorUid",
    "Flags (decoded below)": "flags",
    "Interrupt Input LINT": "lint",
  },
  "APIC subtable 05": {
    "APIC Address": "address",
  },
  "APIC subtable 09": {
    "Processor x2Apic ID": "x2apicId",
    "Flags (decoded below)": "flags",
    "Processor UID": "processorUid",
  },
  "APIC subtable 0A": {
    "Flags (decoded below)": "flags",
    "Processor UID": "processorUid",
    "Interrupt Input LINT": "lint",
  },
  MCFG: {
    "Base Address": "baseAddress",
    "Segment Group Number": "segment",
    "Start Bus Number": "startBus",
    "End Bus Number": "endBus",
  },
  HPET: {
    "Hardware Block ID": "eventTimerBlockId",
    "Sequence Number": "sequence",
    "Minimum Clock Ticks": "minimumTick",
    "Flags (decoded below)": "pageProtection",
  },
  FACP: {
    "FACS Address": ["facsAddress32", "xFacsAddress"],
    "DSDT Address": ["dsdtAddress32", "xDsdtAddress"],
    "PM Profile": "preferredPmProfile",
    "SCI Interrupt": "sciInterrupt",
    "SMI Command Port": "smiCommandPort",
    "ACPI Enable Value": "acpiEnable",
    "ACPI Disable Value": "acpiDisable",
    "PM1A Event Block Address": "pm1aEventBlock",
    "PM1B Event Block Address": "pm1bEventBlock",
    "PM1A Control Block Address": "pm1aControlBlock",
    "PM1B Control Block Address": "pm1bControlBlock",
    "PM2 Control Block Address": "pm2ControlBlock",
    "PM Timer Block Address": "pmTimerBlock",
    "PM1 Event Block Length": "pm1EventLength",
    "PM1 Control Block Length": "pm1ControlLength",
    "PM2 Control Block Length": "pm2ControlLength",
    "PM Timer Block Length": "pmTimerLength",
    "Boot Flags (decoded below)": "bootFlags",
    "Flags (decoded below)": "flags",
    "Value to cause reset": "resetValue",
    "FADT Minor Revision": "minorRevision",
    "Hypervisor ID": "hypervisorId",
  },
  FACS: {
    Length: "length",
    "Hardware Signature": "hardwareSignature",
    "32 Firmware Waking Vector": "firmwareWakingVector",
    "Flags (decoded below)": "flags",
    "64 Firmware Waking Vector": "xFirmwareWakingVector",
    Version: "version",
  },
  TPM2: {
    "Platform Class": "platformClass",
    "Control Address": "controlAreaAddress",
    "Start Method": "startMethod",
    "Minimum Log Length": "logAreaMinimumLength",
    "Log Address": "logAreaStartAddress",
  },
  RSDT: { "ACPI Table Address": "entry" },
  XSDT: { "ACPI Table Address": "entry" },
};

/**
 * The two fields every MADT subtable starts with, whatever its type (types we do not decode
 * included), with their offset inside the subtable: a GIC Redistributor has a second, 4-byte
 * "Length" at +4 that is not the subtable length.
 */
export const ANY_MADT_SUBTABLE: Readonly<Record<string, { readonly field: string; readonly at: number }>> = {
  "Subtable Type": { field: "type", at: 0 },
  Length: { field: "length", at: 1 },
};

/** GAS headings (iasl name -> our GenericAddress property), per table. */
export const GAS_CONTAINERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  FACP: {
    "Reset Register": "resetRegister",
    "PM1A Control Block": "xPm1aControlBlock",
    "PM1B Control Block": "xPm1bControlBlock",
    "PM2 Control Block": "xPm2ControlBlock",
    "Sleep Control Register": "sleepControl",
    "Sleep Status Register": "sleepStatus",
  },
  HPET: {
    "Timer Block Register": "baseAddress",
  },
};

/** Members of a Generic Address Structure (iasl name -> GenericAddress member). */
export const GAS_FIELDS: Readonly<Record<string, string>> = {
  "Space ID": "spaceId",
  "Bit Width": "bitWidth",
  "Bit Offset": "bitOffset",
  "Encoded Access Width": "accessSize",
  Address: "address",
};

/** Lines that open one repeated element; their count must equal our element count. */
export const ELEMENT_OPENERS: Readonly<Record<string, { readonly iaslName: string; readonly ours: string }>> = {
  APIC: { iaslName: "Subtable Type", ours: "entries" },
  MCFG: { iaslName: "Base Address", ours: "allocations" },
  RSDT: { iaslName: "ACPI Table Address", ours: "entries" },
  XSDT: { iaslName: "ACPI Table Address", ours: "entries" },
};

/** iasl name without its running index ("ACPI Table Address   3" -> "ACPI Table Address"). */
export function baseFieldName(name: string): string {
  return name.replace(/\s+\d+$/, "");
}

export function namesOf(entry: string | readonly string[] | undefined): readonly string[] {
  if (entry === undefined) return [];
  return typeof entry === "string" ? [entry] : entry;
}
