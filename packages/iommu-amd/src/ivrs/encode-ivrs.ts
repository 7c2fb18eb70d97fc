import { ACPI_HID_FIXED_LENGTH, fixedEntryLength } from "./device-entries.js";
import { ivhdHeaderLength } from "./ivhd-block.js";
import { IVMD_LENGTH } from "./ivmd-block.js";
import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";
import type { DeviceEntryInput, IvhdBlockInput, IvmdBlockInput, IvrsBlockInput, IvrsTableInput, UnknownBlockInput } from "./ivrs-types.js";
import { IVRS_HEADER_LENGTH } from "./parse-ivrs.js";

const ENCODER = "encodeIvrs";

/**
 * The inverse of parseIvrs (amd-iommu.md §1): writes the 48-byte header, then every block and
 * device entry in order. Lengths (table, blocks) and the checksum are computed from the contents,
 * so a decoded table encodes back to its own bytes and a hand-built one is consistent by
 * construction. Values that do not fit their field are NK-IVRS-010, never truncated.
 */
export function encodeIvrs(ivrs: IvrsTableInput): Uint8Array {
  const blockBytes = ivrs.blocks.map((block, index) => encodeBlock(block, `blocks[${index}]`));
  const length = IVRS_HEADER_LENGTH + blockBytes.reduce((sum, bytes) => sum + bytes.length, 0);
  if (length > 0xffff_ffff) throw ivrsError(IvrsDiagnostic.ENCODE_TOO_LONG, `IVRS would be ${length} bytes long`, { file: ENCODER, field: "length" });
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, "IVRS", 4, "signature");
  view.setUint32(4, length, true);
  view.setUint8(8, checkedInt(ivrs.header.revision, 0xff, "header.revision"));
  writeAscii(out, 10, ivrs.header.oemId, 6, "header.oemId");
  writeAscii(out, 16, ivrs.header.oemTableId, 8, "header.oemTableId");
  view.setUint32(24, checkedInt(ivrs.header.oemRevision, 0xffff_ffff, "header.oemRevision"), true);
  writeAscii(out, 28, ivrs.header.creatorId, 4, "header.creatorId");
  view.setUint32(32, checkedInt(ivrs.header.creatorRevision, 0xffff_ffff, "header.creatorRevision"), true);
  view.setUint32(36, checkedInt(ivrs.ivinfo.raw, 0xffff_ffff, "ivinfo"), true);
  view.setBigUint64(40, checkedBig(ivrs.reserved, "reserved"), true);
  let offset = IVRS_HEADER_LENGTH;
  for (const bytes of blockBytes) {
    out.set(bytes, offset);
    offset += bytes.length;
  }
  // checksum (platform.md §5.2): all bytes sum to 0 modulo 256
  let sum = 0;
  for (const byte of out) sum = (sum + byte) & 0xff;
  out[9] = (0x100 - sum) & 0xff;
  return out;
}

function encodeBlock(block: IvrsBlockInput, field: string): Uint8Array {
  switch (block.kind) {
    case "ivhd":
      return encodeIvhd(block, field);
    case "ivmd":
      return encodeIvmd(block, field);
    case "unknown":
      return encodeUnknownBlock(block, field);
  }
}

function encodeIvhd(block: IvhdBlockInput, field: string): Uint8Array {
  const headerLength = ivhdHeaderLength(block.type);
  const entries = block.entries.map((entry, index) => encodeEntry(entry, `${field}.entries[${index}]`));
  const length = headerLength + entries.reduce((sum, bytes) => sum + bytes.length, 0);
  const out = new Uint8Array(checkedLength(length, field));
  const view = new DataView(out.buffer);
  writePrefix(view, block.type, block.flags, length, field);
  view.setUint16(4, checkedInt(block.deviceId, 0xffff, `${field}.deviceId`), true);
  view.setUint16(6, checkedInt(block.capabilityOffset, 0xffff, `${field}.capabilityOffset`), true);
  view.setBigUint64(8, checkedBig(block.baseAddress, `${field}.baseAddress`), true);
  view.setUint16(16, checkedInt(block.pciSegment, 0xffff, `${field}.pciSegment`), true);
  view.setUint16(18, checkedInt(block.iommuInfo, 0xffff, `${field}.iommuInfo`), true);
  view.setUint32(20, checkedInt(block.featureReporting, 0xffff_ffff, `${field}.featureReporting`), true);
  if (headerLength === 40) {
    view.setBigUint64(24, checkedBig(block.efr ?? 0n, `${field}.efr`), true);
    view.setBigUint64(32, checkedBig(block.efr2 ?? 0n, `${field}.efr2`), true);
  }
  let offset = headerLength;
  for (const bytes of entries) {
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}

function encodeIvmd(block: IvmdBlockInput, field: string): Uint8Array {
  const out = new Uint8Array(IVMD_LENGTH);
  const view = new DataView(out.buffer);
  writePrefix(view, block.type, block.flags, IVMD_LENGTH, field);
  view.setUint16(4, checkedInt(block.deviceId, 0xffff, `${field}.deviceId`), true);
  view.setUint16(6, checkedInt(block.auxiliaryData, 0xffff, `${field}.auxiliaryData`), true);
  view.setBigUint64(8, checkedBig(block.reserved, `${field}.reserved`), true);
  view.setBigUint64(16, checkedBig(block.startAddress, `${field}.startAddress`), true);
  view.setBigUint64(24, checkedBig(block.memoryLength, `${field}.memoryLength`), true);
  return out;
}

function encodeUnknownBlock(block: UnknownBlockInput, field: string): Uint8Array {
  // kept whole by the decoder; its own length field must agree with its size
  const view = new DataView(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
  if (block.bytes.length < 4 || view.getUint8(0) !== block.type || view.getUint16(2, true) !== block.bytes.length) {
    throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: an unknown block's bytes must start with its type and its own length`, { file: ENCODER, field });
  }
  return block.bytes.slice();
}

function encodeEntry(entry: DeviceEntryInput, field: string): Uint8Array {
  if (entry.kind === "unknown") {
    if (fixedEntryLength(entry.type) !== undefined || entry.type === 0xf0 || entry.bytes[0] !== entry.type) {
      throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: type ${entry.type} has a defined length; only types 80h-FFh other than F0h are unknown`, { file: ENCODER, field: `${field}.type` });
    }
    return entry.bytes.slice();
  }
  const expected = expectedLayout(entry);
  const actual = entry.type === 0xf0 ? "acpi-hid" : fixedEntryLength(entry.type);
  if (expected !== actual) {
    throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: entry kind "${entry.kind}" cannot have type 0x${entry.type.toString(16)}`, { file: ENCODER, field: `${field}.type` });
  }
  const length = entry.kind === "acpi-hid" ? ACPI_HID_FIXED_LENGTH + entry.uid.length : (actual as number);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint8(0, checkedInt(entry.type, 0xff, `${field}.type`));
  view.setUint16(1, checkedInt(entry.deviceId, 0xffff, `${field}.deviceId`), true);
  view.setUint8(3, checkedInt(entry.setting, 0xff, `${field}.setting`));
  switch (entry.kind) {
    case "padding":
    case "reserved":
      if (length === 8) view.setUint32(4, checkedInt(entry.data ?? 0, 0xffff_ffff, `${field}.data`), true);
      break;
    case "alias-select":
    case "alias-range-start":
      view.setUint8(4, checkedInt(entry.reserved4 ?? 0, 0xff, `${field}.reserved4`));
      view.setUint16(5, checkedInt(entry.sourceDeviceId, 0xffff, `${field}.sourceDeviceId`), true);
      view.setUint8(7, checkedInt(entry.reserved7 ?? 0, 0xff, `${field}.reserved7`));
      break;
    case "ext-select":
    case "ext-range-start":
      view.setUint32(4, checkedInt(entry.extendedSetting, 0xffff_ffff, `${field}.extendedSetting`), true);
      break;
    case "special":
      view.setUint8(4, checkedInt(entry.handle, 0xff, `${field}.handle`));
      view.setUint16(5, checkedInt(entry.sourceDeviceId, 0xffff, `${field}.sourceDeviceId`), true);
      view.setUint8(7, checkedInt(entry.variety, 0xff, `${field}.variety`));
      break;
    case "acpi-hid":
      if (entry.hid.length !== 8 || entry.cid.length !== 8) {
        throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: HID and CID are 8 bytes each`, { file: ENCODER, field: `${field}.hid` });
      }
      out.set(entry.hid, 4);
      out.set(entry.cid, 12);
      view.setUint8(20, checkedInt(entry.uidFormat, 0xff, `${field}.uidFormat`));
      view.setUint8(21, checkedInt(entry.uid.length, 0xff, `${field}.uid.length`));
      out.set(entry.uid, ACPI_HID_FIXED_LENGTH);
      break;
    case "all":
    case "select":
    case "range-start":
    case "range-end":
      break;
  }
  return out;
}

/** The size class an entry kind needs (amd-iommu.md §1.4 table). */
function expectedLayout(entry: Exclude<DeviceEntryInput, { kind: "unknown" }>): 4 | 8 | "acpi-hid" | undefined {
  switch (entry.kind) {
    case "padding":
    case "reserved":
      return fixedEntryLength(entry.type);
    case "all":
    case "select":
    case "range-start":
    case "range-end":
      return 4;
    case "alias-select":
    case "alias-range-start":
    case "ext-select":
    case "ext-range-start":
    case "special":
      return 8;
    case "acpi-hid":
      return "acpi-hid";
  }
}

function writePrefix(view: DataView, type: number, flags: number, length: number, field: string): void {
  view.setUint8(0, checkedInt(type, 0xff, `${field}.type`));
  view.setUint8(1, checkedInt(flags, 0xff, `${field}.flags`));
  view.setUint16(2, length, true);
}

function checkedLength(length: number, field: string): number {
  if (length > 0xffff) {
    throw ivrsError(IvrsDiagnostic.ENCODE_TOO_LONG, `${field}: the block would be ${length} bytes, more than its 16-bit length field holds`, { file: ENCODER, field: `${field}.length` });
  }
  return length;
}

function checkedInt(value: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: ${value} does not fit (0..0x${max.toString(16)})`, { file: ENCODER, field });
  }
  return value;
}

function checkedBig(value: bigint, field: string): bigint {
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: 0x${value.toString(16)} does not fit 64 bits`, { file: ENCODER, field });
  }
  return value;
}

function writeAscii(out: Uint8Array, offset: number, text: string, width: number, field: string): void {
  if (text.length > width) {
    throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: "${text}" is longer than ${width} characters`, { file: ENCODER, field });
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw ivrsError(IvrsDiagnostic.ENCODE_FIELD_RANGE, `${field}: "${text}" is not 8-bit text`, { file: ENCODER, field });
    out[offset + i] = code;
  }
}
