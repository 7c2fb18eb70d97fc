/**
 * What the ELF64 reader returns. File offsets are numbers (they were checked against the file
 * length, so they are small); addresses, sizes and addends stay bigint as the format has them.
 */

export type ElfFileType = "relocatable" | "executable" | "shared-object";

export interface ElfHeader {
  readonly fileType: ElfFileType;
  /** e_type as stored */
  readonly type: number;
  readonly machine: number;
  readonly osAbi: number;
  readonly entry: bigint;
  readonly programHeaderOffset: number;
  readonly sectionHeaderOffset: number;
  readonly flags: number;
  readonly programHeaderCount: number;
  /** after extended numbering (e_shnum 0: the count is section 0's sh_size) */
  readonly sectionHeaderCount: number;
  /** after extended numbering (SHN_XINDEX: the index is section 0's sh_link) */
  readonly sectionNameTableIndex: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly address: bigint;
  /** sh_offset; the contents are bytes [offset, offset + fileSize) of the file */
  readonly offset: number;
  readonly size: bigint;
  /** bytes the section occupies in the file: 0 for SHT_NOBITS and SHT_NULL, else sh_size */
  readonly fileSize: number;
  readonly link: number;
  readonly info: number;
  readonly addressAlign: bigint;
  readonly entrySize: bigint;
  /** file offset of this section's header, for diagnostics */
  readonly headerOffset: number;
}

export interface ElfSegment {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly virtualAddress: bigint;
  readonly fileSize: number;
  readonly memorySize: bigint;
  readonly align: bigint;
  readonly headerOffset: number;
}

export interface ElfSymbol {
  /** index in its table */
  readonly index: number;
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  /** STT_* */
  readonly type: number;
  /** STB_* */
  readonly binding: number;
  /** STV_* */
  readonly visibility: number;
  /** st_shndx (SHN_XINDEX resolved through SHT_SYMTAB_SHNDX) */
  readonly sectionIndex: number;
  /** file offset of the entry, for diagnostics */
  readonly entryOffset: number;
}

export interface ElfSymbolTable {
  /** the SHT_SYMTAB or SHT_DYNSYM section */
  readonly section: ElfSection;
  readonly symbols: readonly ElfSymbol[];
}

export interface ElfRelocation {
  /** r_offset: section offset in a relocatable object, virtual address in an image */
  readonly offset: bigint;
  readonly type: number;
  readonly symbolIndex: number;
  readonly addend: bigint;
  /** the symbol r_sym names (undefined for index 0) */
  readonly symbol: ElfSymbol | undefined;
  readonly entryOffset: number;
}

export interface ElfRelocationSection {
  /** the SHT_RELA section */
  readonly section: ElfSection;
  /** the section the relocations apply to (sh_info), undefined for dynamic relocation sections */
  readonly target: ElfSection | undefined;
  /** the symbol table named by sh_link, undefined when sh_link is 0 */
  readonly symbolTable: ElfSymbolTable | undefined;
  readonly relocations: readonly ElfRelocation[];
}

export interface ElfNote {
  /** the name without its terminating NUL, e.g. "GNU" */
  readonly owner: string;
  readonly namesz: number;
  readonly type: number;
  readonly descriptor: Uint8Array;
  /** file offset of the note header */
  readonly offset: number;
  /** file offset of the descriptor */
  readonly descriptorOffset: number;
}

/** the notes of one SHT_NOTE section or one note segment */
export interface ElfNoteGroup {
  /** ".note.gnu.build-id", or "PT_GNU_PROPERTY" for a segment */
  readonly where: string;
  readonly notes: readonly ElfNote[];
}

export interface GnuProperty {
  readonly type: number;
  readonly data: Uint8Array;
  /** file offset of pr_type */
  readonly offset: number;
}

/** the decoded NT_GNU_PROPERTY_TYPE_0 note (cet.md §5) */
export interface GnuPropertyNote {
  /** "PT_GNU_PROPERTY" (what loaders read) or ".note.gnu.property" */
  readonly source: string;
  readonly offset: number;
  readonly properties: readonly GnuProperty[];
  /** GNU_PROPERTY_X86_FEATURE_1_AND's value, undefined when the property is absent */
  readonly x86Feature1And: number | undefined;
}

export interface Elf64File {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  readonly symtab: ElfSymbolTable | undefined;
  readonly dynsym: ElfSymbolTable | undefined;
  readonly relocationSections: readonly ElfRelocationSection[];
  readonly notes: readonly ElfNoteGroup[];
  /** from PT_GNU_PROPERTY when the file has one, else from the .note.gnu.property section */
  readonly gnuProperty: GnuPropertyNote | undefined;
}
