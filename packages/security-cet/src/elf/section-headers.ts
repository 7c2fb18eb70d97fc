import { ELF64_SHDR_SIZE, SHT_NOBITS, SHT_NULL } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfHeader, ElfSection } from "./elf-types.js";
import { readTableString } from "./string-table.js";

/**
 * The section header table (gABI "Sections"), with names from e_shstrndx's string table. Every
 * section that occupies file bytes must lie inside the file; SHT_NOBITS (.bss) and SHT_NULL take
 * none, so their sh_offset is not checked.
 */
export function readSectionHeaders(reader: ElfReader, header: ElfHeader): ElfSection[] {
  const { file } = reader;
  const unnamed: ElfSection[] = [];
  for (let index = 0; index < header.sectionHeaderCount; index++) {
    const at = header.sectionHeaderOffset + index * ELF64_SHDR_SIZE;
    const field = (name: string) => `section[${index}].${name}`;
    const type = reader.u32(at + 4, field("sh_type"));
    const size = reader.u64(at + 32, field("sh_size"));
    const rawOffset = reader.u64(at + 24, field("sh_offset"));
    const occupiesFile = index !== 0 && type !== SHT_NOBITS && type !== SHT_NULL;
    let offset = 0;
    let fileSize = 0;
    if (occupiesFile) {
      if (rawOffset + size > BigInt(reader.bytes.length)) {
        throw elfError(
          ElfDiagnostic.SECTION_OUT_OF_FILE,
          `section [${index}] (offset 0x${rawOffset.toString(16)}, size 0x${size.toString(16)}) runs past the end of the file (${reader.bytes.length} bytes)`,
          { file, offset: at + 24, field: field("sh_offset") },
          "the file is truncated or the section header is corrupt",
        );
      }
      offset = Number(rawOffset);
      fileSize = Number(size);
    } else if (rawOffset <= BigInt(Number.MAX_SAFE_INTEGER)) {
      offset = Number(rawOffset);
    }
    unnamed.push({
      index,
      name: "",
      type,
      flags: reader.u64(at + 8, field("sh_flags")),
      address: reader.u64(at + 16, field("sh_addr")),
      offset,
      size,
      fileSize,
      link: reader.u32(at + 40, field("sh_link")),
      info: reader.u32(at + 44, field("sh_info")),
      addressAlign: reader.u64(at + 48, field("sh_addralign")),
      entrySize: reader.u64(at + 56, field("sh_entsize")),
      headerOffset: at,
    });
  }
  if (unnamed.length === 0 || header.sectionNameTableIndex === 0) return unnamed;
  const names = unnamed[header.sectionNameTableIndex];
  if (names === undefined) return unnamed;
  return unnamed.map((section) => {
    if (section.index === 0) return section;
    const nameOffset = reader.u32(section.headerOffset, `section[${section.index}].sh_name`);
    return { ...section, name: readTableString(reader, names, nameOffset, `section[${section.index}].sh_name`, section.headerOffset) };
  });
}

/** the section `index` names, or a NK-ELF-011 blaming `field` */
export function sectionAt(reader: ElfReader, sections: readonly ElfSection[], index: number, field: string, fieldOffset: number): ElfSection {
  const section = index === 0 ? undefined : sections[index];
  if (section === undefined) {
    throw elfError(ElfDiagnostic.BAD_SECTION_LINK, `${field} is ${index}, which names no section (the file has ${sections.length})`, {
      file: reader.file,
      offset: fieldOffset,
      field,
    });
  }
  return section;
}

/** "[3] .text" for messages */
export function describeSection(section: ElfSection): string {
  return `[${section.index}] ${section.name || "(unnamed)"}`;
}
