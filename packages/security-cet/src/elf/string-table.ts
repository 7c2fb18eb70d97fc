import { SHT_STRTAB } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfSection } from "./elf-types.js";

/**
 * The NUL-terminated string at `offset` of a string table section (gABI "String Table"). The
 * string must start inside the table and end with a NUL before the table ends.
 */
export function readTableString(reader: ElfReader, table: ElfSection, offset: number, field: string, fieldOffset: number): string {
  if (table.type !== SHT_STRTAB) {
    throw elfError(ElfDiagnostic.BAD_SECTION_LINK, `${field}: section [${table.index}] ${table.name || "(unnamed)"} is not a string table (type ${table.type})`, {
      file: reader.file,
      offset: fieldOffset,
      field,
    });
  }
  if (offset >= table.fileSize) {
    throw elfError(
      ElfDiagnostic.BAD_STRING,
      `${field}: string offset 0x${offset.toString(16)} lies outside the string table [${table.index}] (0x${table.fileSize.toString(16)} bytes)`,
      { file: reader.file, offset: fieldOffset, field },
    );
  }
  const start = table.offset + offset;
  const end = table.offset + table.fileSize;
  const nul = reader.bytes.subarray(start, end).indexOf(0);
  if (nul < 0) {
    throw elfError(ElfDiagnostic.BAD_STRING, `${field}: the string at 0x${start.toString(16)} has no terminating NUL inside its string table`, {
      file: reader.file,
      offset: start,
      field,
    });
  }
  return reader.text(start, start + nul);
}
