import { FdtDiagnostic, fdtError } from "./fdt-diagnostics.js";
import type { FdtHeader } from "./fdt-types.js";

/** reference/platform.md §1.1 */
export const FDT_MAGIC = 0xd00dfeed;
/** size of the version-17 header: ten u32 */
export const FDT_HEADER_SIZE = 40;
export const FDT_VERSION = 17;
/** a version-17 blob stays readable by version-16 parsers */
export const FDT_LAST_COMPATIBLE_VERSION = 16;
const RESERVATION_ALIGNMENT = 8;
const STRUCT_ALIGNMENT = 4;

/**
 * Reads and checks the header (platform.md §1.1): magic, a version this parser understands
 * (version >= 17 whose last_comp_version <= 17, i.e. at least the 40-byte header with
 * size_dt_struct), totalsize within the data, and every block inside totalsize, after the
 * header, aligned (rsvmap 8, struct 4), with struct and strings not overlapping each other.
 */
export function parseFdtHeader(bytes: Uint8Array, file: string): FdtHeader {
  if (bytes.length < FDT_HEADER_SIZE) {
    throw fdtError(FdtDiagnostic.TRUNCATED_HEADER, `${bytes.length} bytes is shorter than the ${FDT_HEADER_SIZE}-byte FDT header`, { file, offset: 0 });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number): number => view.getUint32(offset, false);
  const header: FdtHeader = {
    magic: u32(0x00),
    totalSize: u32(0x04),
    structOffset: u32(0x08),
    stringsOffset: u32(0x0c),
    reservationMapOffset: u32(0x10),
    version: u32(0x14),
    lastCompatibleVersion: u32(0x18),
    bootCpuIdPhys: u32(0x1c),
    stringsSize: u32(0x20),
    structSize: u32(0x24),
  };
  if (header.magic !== FDT_MAGIC) {
    throw fdtError(FdtDiagnostic.BAD_MAGIC, `magic 0x${header.magic.toString(16)} is not 0xd00dfeed`, { file, offset: 0x00 }, "is this a device-tree blob (.dtb)?");
  }
  if (header.version < FDT_VERSION || header.lastCompatibleVersion > FDT_VERSION || header.lastCompatibleVersion > header.version) {
    throw fdtError(
      FdtDiagnostic.UNSUPPORTED_VERSION,
      `version ${header.version} (last compatible ${header.lastCompatibleVersion}) cannot be read: this parser reads version 17 (last compatible 16)`,
      { file, offset: 0x14 },
      "recompile the tree with a current dtc: dtc -I dtb -O dtb",
    );
  }
  if (header.totalSize < FDT_HEADER_SIZE || header.totalSize > bytes.length) {
    throw fdtError(FdtDiagnostic.BAD_TOTAL_SIZE, `totalsize ${header.totalSize} does not fit the ${bytes.length} bytes given (header ${FDT_HEADER_SIZE})`, { file, offset: 0x04 });
  }
  checkBlock(header, file, "memory reservation block", header.reservationMapOffset, 16, 0x10, undefined);
  checkBlock(header, file, "structure block", header.structOffset, header.structSize, 0x08, 0x24);
  checkBlock(header, file, "strings block", header.stringsOffset, header.stringsSize, 0x0c, 0x20);
  if (header.reservationMapOffset % RESERVATION_ALIGNMENT !== 0) {
    throw fdtError(FdtDiagnostic.MISALIGNED, `off_mem_rsvmap 0x${header.reservationMapOffset.toString(16)} is not 8-byte aligned`, { file, offset: 0x10 });
  }
  if (header.structOffset % STRUCT_ALIGNMENT !== 0 || header.structSize % STRUCT_ALIGNMENT !== 0) {
    throw fdtError(FdtDiagnostic.MISALIGNED, `structure block 0x${header.structOffset.toString(16)}+0x${header.structSize.toString(16)} is not 4-byte aligned`, { file, offset: 0x08 });
  }
  const structEnd = header.structOffset + header.structSize;
  const stringsEnd = header.stringsOffset + header.stringsSize;
  if (header.structOffset < stringsEnd && header.stringsOffset < structEnd && header.stringsSize > 0) {
    throw fdtError(FdtDiagnostic.BLOCK_OUT_OF_RANGE, "the structure and strings blocks overlap", { file, offset: 0x0c });
  }
  return header;
}

function checkBlock(
  header: FdtHeader,
  file: string,
  what: string,
  offset: number,
  size: number,
  offsetField: number,
  sizeField: number | undefined,
): void {
  if (offset < FDT_HEADER_SIZE || offset > header.totalSize || size > header.totalSize - offset) {
    throw fdtError(
      FdtDiagnostic.BLOCK_OUT_OF_RANGE,
      `${what} at 0x${offset.toString(16)} (size 0x${size.toString(16)}) lies outside the blob (header 0x${FDT_HEADER_SIZE.toString(16)}, totalsize 0x${header.totalSize.toString(16)})`,
      { file, offset: size > header.totalSize - offset && sizeField !== undefined && offset <= header.totalSize ? sizeField : offsetField },
    );
  }
}
