import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";
import type { IvrsReader } from "./ivrs-reader.js";
import type { DeviceEntry } from "./ivrs-types.js";

/** F0h ACPI HID entry: 22 fixed bytes, then the UID (amd-iommu.md §1.4). */
export const ACPI_HID_FIXED_LENGTH = 22;

/**
 * Length of a device entry from its type byte (amd-iommu.md §1.4): the top two bits say 4 bytes
 * (00h-3Fh) or 8 bytes (40h-7Fh); F0h is variable; any other type has no defined length.
 */
export function fixedEntryLength(type: number): 4 | 8 | undefined {
  if (type < 0x40) return 4;
  if (type < 0x80) return 8;
  return undefined;
}

/**
 * Decodes the device entries of one IVHD from `start` to the block end. Entries are packed with
 * no alignment (F0h entries leave following entries on odd offsets). An entry that would run past
 * the block end is NK-IVRS-005 (NOVA refuses the block too, nova.md §4.2). A type with no defined
 * length stops decoding: it is reported as an `unknown` entry carrying the rest of the block, as
 * NOVA stops there and a decoder must not guess its length.
 */
export function parseDeviceEntries(block: IvrsReader, start: number): DeviceEntry[] {
  const entries: DeviceEntry[] = [];
  let offset = start;
  while (offset < block.end) {
    const type = block.u8(offset, "entry.type");
    const fixed = fixedEntryLength(type);
    if (fixed === undefined && type !== 0xf0) {
      const bytes = block.slice(offset, block.end - offset, "entry.bytes");
      entries.push({ kind: "unknown", type, unknown: true, bytes, offset, length: bytes.length });
      break;
    }
    const length = fixed ?? acpiHidLength(block, offset);
    if (offset + length > block.end) {
      throw ivrsError(
        IvrsDiagnostic.ENTRY_OVERRUN,
        `${block.what}: device entry type ${hex2(type)} at 0x${offset.toString(16)} is ${length} bytes long and runs past the block end at 0x${block.end.toString(16)}`,
        { file: block.file, offset, field: "IVRS.entry.length" },
        "the entries of an IVHD must end exactly at the block end",
      );
    }
    entries.push(decodeEntry(block.region(offset, offset + length, `${block.what} entry ${hex2(type)} at 0x${offset.toString(16)}`), type, offset, length));
    offset += length;
  }
  return entries;
}

function acpiHidLength(block: IvrsReader, offset: number): number {
  const uidLength = block.u8(offset + 21, "entry.uidLength");
  return ACPI_HID_FIXED_LENGTH + uidLength;
}

function decodeEntry(entry: IvrsReader, type: number, offset: number, length: number): DeviceEntry {
  const deviceId = entry.u16(offset + 1, "entry.deviceId");
  const setting = entry.u8(offset + 3, "entry.setting");
  const common = { type, deviceId, setting, offset, length };
  switch (type) {
    case 0x00:
    case 0x40:
      return length === 8 ? { kind: "padding", ...common, data: entry.u32(offset + 4, "entry.data") } : { kind: "padding", ...common };
    case 0x01:
      return { kind: "all", ...common };
    case 0x02:
      return { kind: "select", ...common };
    case 0x03:
      return { kind: "range-start", ...common };
    case 0x04:
      return { kind: "range-end", ...common };
    case 0x42:
    case 0x43:
      return {
        kind: type === 0x42 ? "alias-select" : "alias-range-start",
        ...common,
        reserved4: entry.u8(offset + 4, "entry.reserved4"),
        sourceDeviceId: entry.u16(offset + 5, "entry.sourceDeviceId"),
        reserved7: entry.u8(offset + 7, "entry.reserved7"),
      };
    case 0x46:
    case 0x47:
      return { kind: type === 0x46 ? "ext-select" : "ext-range-start", ...common, extendedSetting: entry.u32(offset + 4, "entry.extendedSetting") };
    case 0x48:
      return {
        kind: "special",
        ...common,
        handle: entry.u8(offset + 4, "entry.handle"),
        sourceDeviceId: entry.u16(offset + 5, "entry.sourceDeviceId"),
        variety: entry.u8(offset + 7, "entry.variety"),
      };
    case 0xf0:
      return {
        kind: "acpi-hid",
        ...common,
        hid: entry.slice(offset + 4, 8, "entry.hid"),
        cid: entry.slice(offset + 12, 8, "entry.cid"),
        uidFormat: entry.u8(offset + 20, "entry.uidFormat"),
        uid: entry.slice(offset + ACPI_HID_FIXED_LENGTH, length - ACPI_HID_FIXED_LENGTH, "entry.uid"),
      };
    default:
      // sized but reserved types: skipped by NOVA and Linux, kept here to re-encode exactly
      return length === 8 ? { kind: "reserved", ...common, data: entry.u32(offset + 4, "entry.data") } : { kind: "reserved", ...common };
  }
}

export function hex2(value: number): string {
  return `${value.toString(16).toUpperCase().padStart(2, "0")}h`;
}
