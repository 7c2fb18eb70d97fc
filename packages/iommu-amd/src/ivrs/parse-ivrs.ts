import { parseSdtHeader } from "@novakit/kernel-core";
import { isIvhdType, parseIvhdBlock } from "./ivhd-block.js";
import { decodeIvinfo } from "./ivinfo.js";
import { isIvmdType, parseIvmdBlock } from "./ivmd-block.js";
import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";
import { IvrsReader } from "./ivrs-reader.js";
import type { IvrsBlock, IvrsTable, UnknownBlock } from "./ivrs-types.js";

/** SDT header (36) + IVinfo (4) + reserved (8): blocks start here (amd-iommu.md §1.1). */
export const IVRS_HEADER_LENGTH = 48;
/** type, flags, length: the part every block shares (amd-iommu.md §1.1). */
const BLOCK_PREFIX_LENGTH = 4;

/**
 * Decodes an IVRS table. The SDT header and its checksum are checked by arch-x86_64's
 * parseSdtHeader (NK-ACPI codes); everything after it is checked here, every read bounds-checked
 * (NK-IVRS codes). Blocks are walked by their length fields; a zero length stops nothing silently,
 * it is an error, since a walker would otherwise loop (amd-iommu.md §1.1).
 */
export function parseIvrs(bytes: Uint8Array, file: string): IvrsTable {
  const { header } = parseSdtHeader(bytes, { file, expectedSignature: "IVRS" });
  if (header.length < IVRS_HEADER_LENGTH) {
    throw ivrsError(
      IvrsDiagnostic.HEADER_TOO_SHORT,
      `IVRS: length ${header.length} is smaller than the ${IVRS_HEADER_LENGTH}-byte IVRS header`,
      { file, offset: 4, field: "IVRS.length" },
    );
  }
  const table = new IvrsReader(bytes, file, 0, header.length, "IVRS");
  // parseSdtHeader drops every NUL of the text fields; keep interior ones so nothing is lost
  const texts = { oemId: table.text(10, 6, "oemId"), oemTableId: table.text(16, 8, "oemTableId"), creatorId: table.text(28, 4, "creatorId") };
  const ivinfo = decodeIvinfo(table.u32(36, "ivinfo"));
  const reserved = table.u64(40, "reserved");
  const blocks: IvrsBlock[] = [];
  let offset = IVRS_HEADER_LENGTH;
  while (offset < header.length) {
    const block = parseBlock(table, offset);
    blocks.push(block);
    offset += block.length;
  }
  return { header: { ...header, ...texts }, ivinfo, reserved, blocks, file };
}

function parseBlock(table: IvrsReader, offset: number): IvrsBlock {
  const type = table.u8(offset, "block.type");
  const length = table.u16(offset + 2, "block.length");
  if (length < BLOCK_PREFIX_LENGTH) {
    throw ivrsError(
      IvrsDiagnostic.BLOCK_LENGTH,
      `IVRS: block type ${type.toString(16)}h at 0x${offset.toString(16)} has length ${length}; a block is at least ${BLOCK_PREFIX_LENGTH} bytes`,
      { file: table.file, offset: offset + 2, field: "IVRS.block.length" },
    );
  }
  if (offset + length > table.end) {
    throw ivrsError(
      IvrsDiagnostic.BLOCK_OVERRUN,
      `IVRS: block type ${type.toString(16)}h at 0x${offset.toString(16)} is ${length} bytes long and runs past the table end at 0x${table.end.toString(16)}`,
      { file: table.file, offset: offset + 2, field: "IVRS.block.length" },
    );
  }
  const what = `${isIvmdType(type) ? "IVMD" : "IVHD"} ${type.toString(16)}h at 0x${offset.toString(16)}`;
  const block = table.region(offset, offset + length, what);
  if (isIvhdType(type)) return parseIvhdBlock(block, type, length);
  if (isIvmdType(type)) return parseIvmdBlock(block, type, length);
  return unknownBlock(block, type, length);
}

function unknownBlock(block: IvrsReader, type: number, length: number): UnknownBlock {
  const at = block.start;
  return {
    kind: "unknown",
    type,
    offset: at,
    length,
    flags: block.u8(at + 1, "block.flags"),
    deviceId: length >= 6 ? block.u16(at + 4, "block.deviceId") : 0,
    bytes: block.slice(at, length, "block.bytes"),
  };
}
