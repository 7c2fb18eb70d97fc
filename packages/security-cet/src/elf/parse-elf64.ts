import { GNU_PROPERTY_ALIGN_64, PT_GNU_PROPERTY, SHT_DYNSYM, SHT_NOTE, SHT_REL, SHT_RELA, SHT_SYMTAB } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import { readElfHeader } from "./elf-header.js";
import { readNotes } from "./elf-notes.js";
import { ElfReader } from "./elf-reader.js";
import type { Elf64File, ElfNoteGroup, ElfSection, ElfSymbolTable, GnuPropertyNote } from "./elf-types.js";
import { decodeGnuPropertyNotes } from "./gnu-property.js";
import { readProgramHeaders } from "./program-headers.js";
import { readRelocationSection } from "./relocations.js";
import { describeSection, readSectionHeaders } from "./section-headers.js";
import { readSymbolTable } from "./symbol-table.js";

const PROPERTY_SECTION = ".note.gnu.property";

/**
 * Reads a little-endian ELF64 x86-64 file strictly: header, program headers, section headers
 * with names, both symbol tables, every SHT_RELA section, every note section and the GNU
 * property note (cet.md §5). Anything out of bounds or inconsistent throws a NovakitError
 * (NK-ELF-0xx) naming `file`, the byte offset and the field; nothing is guessed.
 */
export function parseElf64(bytes: Uint8Array, file: string): Elf64File {
  const reader = new ElfReader(bytes, file);
  const header = readElfHeader(reader);
  const segments = readProgramHeaders(reader, header);
  const sections = readSectionHeaders(reader, header);

  const symtab = onlySymbolTable(reader, sections, SHT_SYMTAB);
  const dynsym = onlySymbolTable(reader, sections, SHT_DYNSYM);
  const symbolTables = [symtab, dynsym].filter((table): table is ElfSymbolTable => table !== undefined);

  const relocationSections = [];
  for (const section of sections) {
    if (section.type === SHT_REL) {
      throw elfError(
        ElfDiagnostic.REL_UNSUPPORTED,
        `section ${describeSection(section)} is SHT_REL; the x86-64 psABI uses only SHT_RELA (explicit addends)`,
        { file, offset: section.headerOffset + 4, field: `section[${section.index}].sh_type` },
      );
    }
    if (section.type === SHT_RELA) relocationSections.push(readRelocationSection(reader, sections, section, symbolTables));
  }

  const notes: ElfNoteGroup[] = sections
    .filter((section) => section.type === SHT_NOTE)
    .map((section) => ({ where: section.name || `section[${section.index}]`, notes: readNotes(reader, section.offset, section.fileSize, section.addressAlign, section.name || `section[${section.index}]`) }));

  let fromSection: GnuPropertyNote | undefined;
  const propertySection = sections.find((section) => section.name === PROPERTY_SECTION);
  if (propertySection !== undefined) {
    if (propertySection.type !== SHT_NOTE || propertySection.addressAlign !== BigInt(GNU_PROPERTY_ALIGN_64)) {
      throw elfError(
        ElfDiagnostic.BAD_GNU_PROPERTY,
        `${PROPERTY_SECTION} must be an SHT_NOTE section aligned to 8 in ELF64 (type ${propertySection.type}, sh_addralign ${propertySection.addressAlign})`,
        { file, offset: propertySection.headerOffset, field: `section[${propertySection.index}]` },
      );
    }
    const group = notes.find((entry) => entry.where === PROPERTY_SECTION);
    fromSection = decodeGnuPropertyNotes(reader, group?.notes ?? [], PROPERTY_SECTION);
  }
  let fromSegment: GnuPropertyNote | undefined;
  const propertySegment = segments.find((segment) => segment.type === PT_GNU_PROPERTY);
  if (propertySegment !== undefined) {
    // the Linux loader requires p_align 8 for ELF64 property segments
    if (propertySegment.align !== BigInt(GNU_PROPERTY_ALIGN_64)) {
      throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `PT_GNU_PROPERTY has p_align ${propertySegment.align}, expected 8 in ELF64`, {
        file,
        offset: propertySegment.headerOffset + 48,
        field: `segment[${propertySegment.index}].p_align`,
      });
    }
    const segmentNotes = readNotes(reader, propertySegment.offset, propertySegment.fileSize, propertySegment.align, "PT_GNU_PROPERTY");
    notes.push({ where: "PT_GNU_PROPERTY", notes: segmentNotes });
    fromSegment = decodeGnuPropertyNotes(reader, segmentNotes, "PT_GNU_PROPERTY");
  }
  return {
    file,
    bytes,
    header,
    sections,
    segments,
    symtab,
    dynsym,
    relocationSections,
    notes,
    gnuProperty: fromSegment ?? fromSection,
  };
}

/** the symbol table of `type`; the gABI allows at most one SHT_SYMTAB and one SHT_DYNSYM */
function onlySymbolTable(reader: ElfReader, sections: readonly ElfSection[], type: number): ElfSymbolTable | undefined {
  const tables = sections.filter((section) => section.type === type);
  const second = tables[1];
  if (second !== undefined) {
    throw elfError(ElfDiagnostic.BAD_SYMBOL_TABLE, `section ${describeSection(second)} is a second ${type === SHT_SYMTAB ? "SHT_SYMTAB" : "SHT_DYNSYM"}; an ELF file has at most one`, {
      file: reader.file,
      offset: second.headerOffset + 4,
      field: `section[${second.index}].sh_type`,
    });
  }
  const table = tables[0];
  return table === undefined ? undefined : readSymbolTable(reader, sections, table);
}
