import { ELF64_SYM_SIZE, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX, SHT_SYMTAB_SHNDX } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import { describeSection, sectionAt } from "./section-headers.js";
import { readTableString } from "./string-table.js";
import type { ElfSection, ElfSymbol, ElfSymbolTable } from "./elf-types.js";

/**
 * One SHT_SYMTAB or SHT_DYNSYM section (gABI "Symbol Table"): 24-byte Elf64_Sym entries, names
 * from the string table sh_link names, st_shndx either a real section, a reserved index
 * (SHN_ABS, SHN_COMMON, ...) or SHN_XINDEX resolved through the SHT_SYMTAB_SHNDX section.
 */
export function readSymbolTable(reader: ElfReader, sections: readonly ElfSection[], table: ElfSection): ElfSymbolTable {
  const { file } = reader;
  const where = describeSection(table);
  if (table.entrySize !== BigInt(ELF64_SYM_SIZE) || table.fileSize % ELF64_SYM_SIZE !== 0) {
    throw elfError(
      ElfDiagnostic.BAD_SYMBOL_TABLE,
      `symbol table ${where}: sh_entsize ${table.entrySize} / sh_size ${table.size} do not describe whole ${ELF64_SYM_SIZE}-byte Elf64_Sym entries`,
      { file, offset: table.headerOffset + 56, field: `section[${table.index}].sh_entsize` },
    );
  }
  const count = table.fileSize / ELF64_SYM_SIZE;
  if (table.info > count) {
    throw elfError(ElfDiagnostic.BAD_SYMBOL_TABLE, `symbol table ${where}: sh_info ${table.info} (first global symbol) exceeds its ${count} entries`, {
      file,
      offset: table.headerOffset + 44,
      field: `section[${table.index}].sh_info`,
    });
  }
  const strings = sectionAt(reader, sections, table.link, `section[${table.index}].sh_link`, table.headerOffset + 40);
  const extendedIndices = sections.find((section) => section.type === SHT_SYMTAB_SHNDX && section.link === table.index);
  const symbols: ElfSymbol[] = [];
  // the section lies inside the file (checked when the headers were read), so its entries can be
  // read without per-field checks; field names are built only for a diagnostic
  reader.require(table.offset, count * ELF64_SYM_SIZE, `section[${table.index}]`);
  const data = reader.data;
  const tableName = table.name || "symtab";
  for (let index = 0; index < count; index++) {
    const at = table.offset + index * ELF64_SYM_SIZE;
    const info = data.getUint8(at + 4);
    const other = data.getUint8(at + 5);
    let sectionIndex = data.getUint16(at + 6, true);
    if (sectionIndex === SHN_XINDEX) {
      if (extendedIndices === undefined || extendedIndices.fileSize < (index + 1) * 4) {
        throw elfError(ElfDiagnostic.BAD_SYMBOL_TABLE, `symbol ${index} of ${where} uses SHN_XINDEX but no SHT_SYMTAB_SHNDX entry holds its section index`, {
          file,
          offset: at + 6,
          field: `${tableName}[${index}].st_shndx`,
        });
      }
      sectionIndex = reader.u32(extendedIndices.offset + index * 4, `${extendedIndices.name}[${index}]`);
    }
    // reserved indices (SHN_ABS, SHN_COMMON, ...) are kept as they are
    if (sectionIndex !== SHN_UNDEF && sectionIndex < SHN_LORESERVE && sectionIndex >= sections.length) {
      throw elfError(ElfDiagnostic.BAD_SYMBOL_TABLE, `symbol ${index} of ${where}: st_shndx ${sectionIndex} names no section (the file has ${sections.length})`, {
        file,
        offset: at + 6,
        field: `${tableName}[${index}].st_shndx`,
      });
    }
    const nameOffset = data.getUint32(at, true);
    symbols.push({
      index,
      name: index === 0 && nameOffset === 0 ? "" : readTableString(reader, strings, nameOffset, `${tableName}[${index}].st_name`, at),
      value: data.getBigUint64(at + 8, true),
      size: data.getBigUint64(at + 16, true),
      type: info & 0xf,
      binding: info >>> 4,
      visibility: other & 3,
      sectionIndex,
      entryOffset: at,
    });
  }
  return { section: table, symbols };
}
