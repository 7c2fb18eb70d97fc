import { latin1, littleEndianValue } from "./acpi-hid-text.js";
import type { DeviceEntry, IvhdBlock, IvmdBlock, IvrsTable, UnknownBlock } from "./ivrs-types.js";

/**
 * One field of a decoded IVRS at its absolute table offset, named the way ACPICA's disassembler
 * names it (several names where iasl versions differ), so a decode can be checked field by field
 * against `iasl -d` listings. Numbers are bigint; text fields (signature, OEM ids, ASCII HIDs,
 * string UIDs) are strings.
 */
export interface IvrsField {
  readonly offset: number;
  readonly width: number;
  /** accepted iasl names, first the current one */
  readonly names: readonly string[];
  readonly value: bigint | string;
  /** "(decoded below)" bit fields iasl prints under the field: name -> value */
  readonly bits?: Readonly<Record<string, number>>;
  /** true for the field that starts a block or a device entry (iasl's "Subtable Type") */
  readonly startsObject?: "block" | "entry";
}

/** IVHD flags byte, bit by bit (amd-iommu.md §1.3 "IVHD flags"). */
const IVHD_FLAG_BITS: readonly (readonly [string, number, number])[] = [
  ["HtTunEn", 0, 1],
  ["PassPW", 1, 1],
  ["ResPassPW", 2, 1],
  ["Isoc Control", 3, 1],
  ["Iotlb Support", 4, 1],
  ["Coherent", 5, 1],
  ["Prefetch Support", 6, 1],
  ["PPR Support", 7, 1],
];
/** IVMD flags byte (amd-iommu.md §1.5). */
const IVMD_FLAG_BITS: readonly (readonly [string, number, number])[] = [
  ["Unity", 0, 1],
  ["Readable", 1, 1],
  ["Writeable", 2, 1],
  ["Exclusion Range", 3, 1],
];
/** DTE setting byte (amd-iommu.md §1.4 "DTE setting byte"). */
const SETTING_BITS: readonly (readonly [string, number, number])[] = [
  ["INITPass", 0, 1],
  ["EIntPass", 1, 1],
  ["NMIPass", 2, 1],
  ["Reserved", 3, 1],
  ["System MGMT", 4, 2],
  ["LINT0 Pass", 6, 1],
  ["LINT1 Pass", 7, 1],
];

function bitsOf(value: number, layout: readonly (readonly [string, number, number])[]): Record<string, number> {
  const bits: Record<string, number> = {};
  for (const [name, shift, width] of layout) bits[name] = (value >>> shift) & ((1 << width) - 1);
  return bits;
}

function field(offset: number, width: number, names: readonly string[], value: number | bigint | string, extra: Partial<IvrsField> = {}): IvrsField {
  return { offset, width, names, value: typeof value === "number" ? BigInt(value) : value, ...extra };
}

/** Every field of the table in offset order. */
export function ivrsFields(ivrs: IvrsTable): IvrsField[] {
  const h = ivrs.header;
  const fields: IvrsField[] = [
    field(0, 4, ["Signature"], h.signature),
    field(4, 4, ["Table Length"], h.length),
    field(8, 1, ["Revision"], h.revision),
    field(9, 1, ["Checksum"], h.checksum),
    field(10, 6, ["Oem ID"], h.oemId),
    field(16, 8, ["Oem Table ID"], h.oemTableId),
    field(24, 4, ["Oem Revision"], h.oemRevision),
    field(28, 4, ["Asl Compiler ID"], h.creatorId),
    field(32, 4, ["Asl Compiler Revision"], h.creatorRevision),
    field(36, 4, ["Virtualization Info"], ivrs.ivinfo.raw),
    field(40, 8, ["Reserved"], ivrs.reserved),
  ];
  for (const block of ivrs.blocks) {
    if (block.kind === "ivhd") fields.push(...ivhdFields(block));
    else if (block.kind === "ivmd") fields.push(...ivmdFields(block));
    else fields.push(...unknownBlockFields(block));
  }
  return fields;
}

function blockPrefix(block: { offset: number; type: number; flags: number; length: number; deviceId: number }, flagBits?: readonly (readonly [string, number, number])[]): IvrsField[] {
  const o = block.offset;
  return [
    field(o, 1, ["Subtable Type"], block.type, { startsObject: "block" }),
    field(o + 1, 1, ["Flags"], block.flags, flagBits === undefined ? {} : { bits: bitsOf(block.flags, flagBits) }),
    field(o + 2, 2, ["Length"], block.length),
    field(o + 4, 2, ["DeviceId"], block.deviceId),
  ];
}

function ivhdFields(block: IvhdBlock): IvrsField[] {
  const o = block.offset;
  const fields = [
    ...blockPrefix(block, IVHD_FLAG_BITS),
    field(o + 6, 2, ["Capability Offset"], block.capabilityOffset),
    field(o + 8, 8, ["Base Address"], block.baseAddress),
    field(o + 16, 2, ["PCI Segment Group"], block.pciSegment),
    field(o + 18, 2, ["Virtualization Info"], block.iommuInfo),
    // ACPICA before 2019 printed the 10h Feature Reporting dword as "Reserved"
    field(o + 20, 4, block.type === 0x10 ? ["Feature Reporting", "Reserved"] : ["Attributes"], block.featureReporting),
  ];
  if (block.efr !== undefined) fields.push(field(o + 24, 8, ["EFR Image"], block.efr));
  // ACPICA 20200925 calls the EFR2 image "Reserved" (amd-iommu.md §1.3)
  if (block.efr2 !== undefined) fields.push(field(o + 32, 8, ["Reserved", "EFR Image 2"], block.efr2));
  for (const entry of block.entries) fields.push(...entryFields(entry));
  return fields;
}

function entryFields(entry: DeviceEntry): IvrsField[] {
  const o = entry.offset;
  const typeField = field(o, 1, ["Entry Type", "Subtable Type"], entry.type, { startsObject: "entry" });
  if (entry.kind === "unknown") return [typeField];
  const fields = [
    typeField,
    field(o + 1, 2, ["Device ID"], entry.deviceId),
    field(o + 3, 1, ["Data Setting"], entry.setting, { bits: bitsOf(entry.setting, SETTING_BITS) }),
  ];
  switch (entry.kind) {
    case "alias-select":
    case "alias-range-start":
      fields.push(
        field(o + 4, 1, ["Reserved"], entry.reserved4 ?? 0),
        field(o + 5, 2, ["Source Used Device ID"], entry.sourceDeviceId),
        field(o + 7, 1, ["Reserved"], entry.reserved7 ?? 0),
      );
      break;
    case "special":
      fields.push(
        field(o + 4, 1, ["Handle"], entry.handle),
        field(o + 5, 2, ["Source Used Device ID"], entry.sourceDeviceId),
        field(o + 7, 1, ["Variety"], entry.variety),
      );
      break;
    case "ext-select":
    case "ext-range-start":
      fields.push(field(o + 4, 4, ["Extended Data", "Extended Setting"], entry.extendedSetting));
      break;
    case "acpi-hid":
      fields.push(
        field(o + 4, 8, ["ACPI HID"], acpiIdValue(entry.hid)),
        field(o + 12, 8, ["ACPI CID"], acpiIdValue(entry.cid)),
        field(o + 20, 1, ["UID Format"], entry.uidFormat),
        field(o + 21, 1, ["UID Length"], entry.uid.length),
      );
      if (entry.uid.length > 0) fields.push(field(o + 22, entry.uid.length, ["UID"], entry.uidFormat === 2 ? latin1(entry.uid) : littleEndianValue(entry.uid)));
      break;
    default:
      if (entry.length === 8) fields.push(field(o + 4, 4, ["Extended Data", "Reserved"], entry.kind === "padding" || entry.kind === "reserved" ? (entry.data ?? 0) : 0));
  }
  return fields;
}

/** an 8-byte ACPI id as iasl shows it: the ASCII string when printable, else the integer */
function acpiIdValue(bytes: Uint8Array): bigint | string {
  return bytes.every((byte) => byte >= 0x20 && byte <= 0x7e) ? latin1(bytes) : littleEndianValue(bytes);
}

function ivmdFields(block: IvmdBlock): IvrsField[] {
  const o = block.offset;
  return [
    ...blockPrefix(block, IVMD_FLAG_BITS),
    field(o + 6, 2, ["Auxiliary Data"], block.auxiliaryData),
    field(o + 8, 8, ["Reserved"], block.reserved),
    field(o + 16, 8, ["Start Address"], block.startAddress),
    field(o + 24, 8, ["Memory Length"], block.memoryLength),
  ];
}

function unknownBlockFields(block: UnknownBlock): IvrsField[] {
  return blockPrefix(block);
}
