import { ELF64_RELA_SIZE } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import { describeSection, sectionAt } from "./section-headers.js";
import type { ElfRelocation, ElfRelocationSection, ElfSection, ElfSymbolTable } from "./elf-types.js";

/**
 * One SHT_RELA section (gABI "Relocation", x86-64 psABI): 24-byte Elf64_Rela entries with
 * r_info = symbol << 32 | type. sh_link names the symbol table (0: none, as for some dynamic
 * relocation sections), sh_info the section patched (0 for dynamic relocations, which patch
 * virtual addresses). Every symbol index must exist in that table.
 */
export function readRelocationSection(
  reader: ElfReader,
  sections: readonly ElfSection[],
  section: ElfSection,
  symbolTables: readonly ElfSymbolTable[],
): ElfRelocationSection {
  const { file } = reader;
  const where = describeSection(section);
  if (section.entrySize !== BigInt(ELF64_RELA_SIZE) || section.fileSize % ELF64_RELA_SIZE !== 0) {
    throw elfError(
      ElfDiagnostic.BAD_RELOCATION,
      `relocation section ${where}: sh_entsize ${section.entrySize} / sh_size ${section.size} do not describe whole ${ELF64_RELA_SIZE}-byte Elf64_Rela entries`,
      { file, offset: section.headerOffset + 56, field: `section[${section.index}].sh_entsize` },
    );
  }
  let symbolTable: ElfSymbolTable | undefined;
  if (section.link !== 0) {
    const linked = sectionAt(reader, sections, section.link, `section[${section.index}].sh_link`, section.headerOffset + 40);
    symbolTable = symbolTables.find((table) => table.section.index === linked.index);
    if (symbolTable === undefined) {
      throw elfError(ElfDiagnostic.BAD_SECTION_LINK, `relocation section ${where}: sh_link names ${describeSection(linked)}, which is not a symbol table`, {
        file,
        offset: section.headerOffset + 40,
        field: `section[${section.index}].sh_link`,
      });
    }
  }
  const target = section.info === 0 ? undefined : sectionAt(reader, sections, section.info, `section[${section.index}].sh_info`, section.headerOffset + 44);
  const relocations: ElfRelocation[] = [];
  const count = section.fileSize / ELF64_RELA_SIZE;
  // the section lies inside the file (checked when the headers were read): read entries directly
  reader.require(section.offset, count * ELF64_RELA_SIZE, `section[${section.index}]`);
  const data = reader.data;
  for (let index = 0; index < count; index++) {
    const at = section.offset + index * ELF64_RELA_SIZE;
    const symbolIndex = data.getUint32(at + 12, true);
    const type = data.getUint32(at + 8, true);
    let symbol = undefined;
    if (symbolIndex !== 0) {
      symbol = symbolTable?.symbols[symbolIndex];
      if (symbol === undefined) {
        throw elfError(
          ElfDiagnostic.BAD_RELOCATION,
          `relocation ${index} of ${where}: symbol index ${symbolIndex} is outside ${symbolTable === undefined ? "the (absent) symbol table" : `${describeSection(symbolTable.section)} (${symbolTable.symbols.length} symbols)`}`,
          { file, offset: at + 8, field: `${section.name || "rela"}[${index}].r_info` },
        );
      }
    }
    relocations.push({ offset: data.getBigUint64(at, true), type, symbolIndex, addend: data.getBigInt64(at + 16, true), symbol, entryOffset: at });
  }
  return { section, target, symbolTable, relocations };
}
