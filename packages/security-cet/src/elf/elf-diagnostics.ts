import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/**
 * Stable diagnostic codes of the ELF64 reader and the CET binary analysis (NK-ELF-0xx). A code is
 * never reused for another meaning; docs/diagnostics.md lists them for users.
 */
export const ElfDiagnostic = {
  /** a field lies (partly) beyond the end of the file or of the region that holds it */
  TRUNCATED: "NK-ELF-001",
  /** the file does not start with the ELF magic 7F 'E' 'L' 'F' */
  NOT_ELF: "NK-ELF-002",
  /** EI_CLASS is not ELFCLASS64 (a 32-bit ELF, or an invalid class) */
  WRONG_CLASS: "NK-ELF-003",
  /** EI_DATA is not ELFDATA2LSB (a big-endian ELF, or an invalid encoding) */
  WRONG_ENDIANNESS: "NK-ELF-004",
  /** e_machine is not EM_X86_64 */
  WRONG_MACHINE: "NK-ELF-005",
  /** EI_VERSION or e_version is not EV_CURRENT (1) */
  BAD_VERSION: "NK-ELF-006",
  /** e_type is not ET_REL, ET_EXEC or ET_DYN (a core file, or an unknown type) */
  UNSUPPORTED_TYPE: "NK-ELF-007",
  /** e_ehsize, e_phentsize or e_shentsize differs from the ELF64 structure size */
  BAD_ENTRY_SIZE: "NK-ELF-008",
  /** the section or program header table lies outside the file, or its count is inconsistent */
  BAD_HEADER_TABLE: "NK-ELF-009",
  /** a section's contents (sh_offset + sh_size) lie beyond the end of the file */
  SECTION_OUT_OF_FILE: "NK-ELF-010",
  /** a section index (e_shstrndx, sh_link, sh_info) names no section or a section of the wrong type */
  BAD_SECTION_LINK: "NK-ELF-011",
  /** a string offset lies outside its string table, or the string has no terminating NUL */
  BAD_STRING: "NK-ELF-012",
  /** a symbol table is malformed (entry size, size, sh_info, st_shndx, a second table of a kind) */
  BAD_SYMBOL_TABLE: "NK-ELF-013",
  /** a relocation section is malformed (entry size, size, symbol index) */
  BAD_RELOCATION: "NK-ELF-014",
  /** a note is malformed: header or name/descriptor beyond its section, or an unsupported alignment */
  BAD_NOTE: "NK-ELF-015",
  /** a .note.gnu.property / PT_GNU_PROPERTY note breaks the GNU property rules (owner, type, sizes, order) */
  BAD_GNU_PROPERTY: "NK-ELF-016",
  /** a program header is malformed (segment beyond the file, p_filesz > p_memsz, a duplicate PT_GNU_PROPERTY) */
  BAD_PROGRAM_HEADER: "NK-ELF-017",
  /** an SHT_REL section: the x86-64 psABI uses only SHT_RELA, so the implicit addends are not read */
  REL_UNSUPPORTED: "NK-ELF-018",
  /** the file cannot be read (missing, a directory, no permission) */
  UNREADABLE: "NK-ELF-019",
} as const;

export type ElfDiagnosticCode = (typeof ElfDiagnostic)[keyof typeof ElfDiagnostic];

export function elfError(code: ElfDiagnosticCode, message: string, location: InputLocation, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
