/**
 * ELF64 constants used by the reader, with the values of the System V gABI and the x86-64 psABI
 * (the same numbers as glibc's elf.h). Names follow the specifications so they can be searched.
 */

export const ELF_MAGIC = Object.freeze([0x7f, 0x45, 0x4c, 0x46]);
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

/** sizes of the ELF64 structures (gABI "ELF Header", "Sections", "Program Header") */
export const ELF64_EHDR_SIZE = 64;
export const ELF64_SHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;
export const ELF64_SYM_SIZE = 24;
export const ELF64_RELA_SIZE = 24;

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_X86_64 = 62;

/** well-known e_machine values, only to name the machine in an error */
export const MACHINE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  2: "SPARC",
  3: "Intel 80386 (EM_386)",
  8: "MIPS",
  20: "PowerPC",
  21: "PowerPC64",
  22: "IBM S/390",
  40: "ARM (EM_ARM)",
  43: "SPARC V9",
  50: "IA-64",
  62: "x86-64",
  183: "AArch64 (EM_AARCH64)",
  243: "RISC-V",
  258: "LoongArch",
});

// section header indices
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

// section types
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_SYMTAB_SHNDX = 18;
/** x86-64 psABI: unwind tables (.eh_frame) */
export const SHT_X86_64_UNWIND = 0x70000001;

// section flags
export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;

// program header types
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
/** cet.md §5: the segment loaders read the GNU property note from */
export const PT_GNU_PROPERTY = 0x6474e553;
/** p_flags: executable segment */
export const PF_X = 0x1;

// symbols (st_info = binding << 4 | type; st_other & 3 = visibility)
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_GNU_IFUNC = 10;
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

// x86-64 relocation types (psABI table "Relocation Types")
export const R_X86_64_NONE = 0;
export const R_X86_64_64 = 1;
export const R_X86_64_PC32 = 2;
export const R_X86_64_PLT32 = 4;
export const R_X86_64_GLOB_DAT = 6;
export const R_X86_64_JUMP_SLOT = 7;
export const R_X86_64_RELATIVE = 8;
export const R_X86_64_GOTPCREL = 9;
export const R_X86_64_32 = 10;
export const R_X86_64_32S = 11;
export const R_X86_64_PC64 = 24;
export const R_X86_64_IRELATIVE = 37;
export const R_X86_64_GOTPCRELX = 41;
export const R_X86_64_REX_GOTPCRELX = 42;

/** names for output; a type not listed prints as its number */
export const RELOCATION_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "R_X86_64_NONE",
  1: "R_X86_64_64",
  2: "R_X86_64_PC32",
  3: "R_X86_64_GOT32",
  4: "R_X86_64_PLT32",
  5: "R_X86_64_COPY",
  6: "R_X86_64_GLOB_DAT",
  7: "R_X86_64_JUMP_SLOT",
  8: "R_X86_64_RELATIVE",
  9: "R_X86_64_GOTPCREL",
  10: "R_X86_64_32",
  11: "R_X86_64_32S",
  24: "R_X86_64_PC64",
  37: "R_X86_64_IRELATIVE",
  41: "R_X86_64_GOTPCRELX",
  42: "R_X86_64_REX_GOTPCRELX",
});

// notes (cet.md §5)
export const NT_GNU_PROPERTY_TYPE_0 = 5;
export const GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
export const GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;
export const GNU_PROPERTY_X86_FEATURE_1_IBT = 1 << 0;
export const GNU_PROPERTY_X86_FEATURE_1_SHSTK = 1 << 1;
/** ELF64: GNU property notes and each property's data are padded to 8 bytes (cet.md §5) */
export const GNU_PROPERTY_ALIGN_64 = 8;

/** cet.md §3: ENDBR64 = F3 0F 1E FA */
export const ENDBR64 = Object.freeze([0xf3, 0x0f, 0x1e, 0xfa]);
