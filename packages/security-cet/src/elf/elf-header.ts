import {
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELF64_SHDR_SIZE,
  ELF_MAGIC,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EM_X86_64,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  EV_CURRENT,
  MACHINE_NAMES,
  SHN_XINDEX,
} from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfFileType, ElfHeader } from "./elf-types.js";

const FILE_TYPES: Readonly<Record<number, ElfFileType>> = Object.freeze({ [ET_REL]: "relocatable", [ET_EXEC]: "executable", [ET_DYN]: "shared-object" });

/**
 * The ELF header (gABI "ELF Header"): e_ident is checked first, byte by byte, so a 32-bit,
 * big-endian or non-ELF file is named as such before any multi-byte field is read with the wrong
 * width or byte order.
 */
export function readElfHeader(reader: ElfReader): ElfHeader {
  const { file } = reader;
  const bytes = reader.bytes;
  if (bytes.length < 4 || ELF_MAGIC.some((value, index) => bytes[index] !== value)) {
    throw elfError(ElfDiagnostic.NOT_ELF, "not an ELF file (the first four bytes are not 7F 45 4C 46)", { file, offset: 0, field: "e_ident[EI_MAG]" });
  }
  const elfClass = reader.u8(4, "e_ident[EI_CLASS]");
  if (elfClass !== ELFCLASS64) {
    const what = elfClass === ELFCLASS32 ? "a 32-bit ELF (ELFCLASS32)" : `an invalid EI_CLASS ${elfClass}`;
    throw elfError(ElfDiagnostic.WRONG_CLASS, `${what}: only ELF64 x86-64 files are analysed`, { file, offset: 4, field: "e_ident[EI_CLASS]" }, "CET (IBT, shadow stacks) exists only in 64-bit x86 code here; pass the 64-bit image");
  }
  const encoding = reader.u8(5, "e_ident[EI_DATA]");
  if (encoding !== ELFDATA2LSB) {
    const what = encoding === ELFDATA2MSB ? "a big-endian ELF (ELFDATA2MSB)" : `an invalid EI_DATA ${encoding}`;
    throw elfError(ElfDiagnostic.WRONG_ENDIANNESS, `${what}: x86-64 ELF files are little-endian`, { file, offset: 5, field: "e_ident[EI_DATA]" });
  }
  const identVersion = reader.u8(6, "e_ident[EI_VERSION]");
  if (identVersion !== EV_CURRENT) {
    throw elfError(ElfDiagnostic.BAD_VERSION, `EI_VERSION is ${identVersion}, expected ${EV_CURRENT} (EV_CURRENT)`, { file, offset: 6, field: "e_ident[EI_VERSION]" });
  }
  reader.require(0, ELF64_EHDR_SIZE, "ELF64 header");
  const machine = reader.u16(18, "e_machine");
  if (machine !== EM_X86_64) {
    const name = MACHINE_NAMES[machine] ?? "an unknown machine";
    throw elfError(ElfDiagnostic.WRONG_MACHINE, `e_machine is ${machine} (${name}), not 62 (x86-64)`, { file, offset: 18, field: "e_machine" }, "Intel CET analysis applies to x86-64 binaries only");
  }
  const version = reader.u32(20, "e_version");
  if (version !== EV_CURRENT) {
    throw elfError(ElfDiagnostic.BAD_VERSION, `e_version is ${version}, expected ${EV_CURRENT} (EV_CURRENT)`, { file, offset: 20, field: "e_version" });
  }
  const type = reader.u16(16, "e_type");
  const fileType = FILE_TYPES[type];
  if (fileType === undefined) {
    const what = type === ET_CORE ? "a core dump (ET_CORE)" : `e_type ${type}`;
    throw elfError(ElfDiagnostic.UNSUPPORTED_TYPE, `${what}: only relocatable objects, executables and shared objects are analysed`, { file, offset: 16, field: "e_type" });
  }
  const ehsize = reader.u16(52, "e_ehsize");
  if (ehsize !== ELF64_EHDR_SIZE) {
    throw elfError(ElfDiagnostic.BAD_ENTRY_SIZE, `e_ehsize is ${ehsize}, an ELF64 header is ${ELF64_EHDR_SIZE} bytes`, { file, offset: 52, field: "e_ehsize" });
  }
  const phoff = reader.i64AsNumber(32, "e_phoff");
  const shoff = reader.i64AsNumber(40, "e_shoff");
  const phentsize = reader.u16(54, "e_phentsize");
  const phnum = reader.u16(56, "e_phnum");
  const shentsize = reader.u16(58, "e_shentsize");
  let shnum = reader.u16(60, "e_shnum");
  let shstrndx = reader.u16(62, "e_shstrndx");
  if (phoff === undefined) throw tableOutside(file, "e_phoff", 32);
  if (shoff === undefined) throw tableOutside(file, "e_shoff", 40);

  if (phnum > 0) {
    if (phentsize !== ELF64_PHDR_SIZE) {
      throw elfError(ElfDiagnostic.BAD_ENTRY_SIZE, `e_phentsize is ${phentsize}, an ELF64 program header is ${ELF64_PHDR_SIZE} bytes`, { file, offset: 54, field: "e_phentsize" });
    }
    if (!reader.has(phoff, phnum * ELF64_PHDR_SIZE)) throw tableOutside(file, "e_phoff", 32, `${phnum} program headers at 0x${phoff.toString(16)}`);
  }
  if (shoff === 0) {
    if (shnum !== 0) {
      throw elfError(ElfDiagnostic.BAD_HEADER_TABLE, `e_shnum is ${shnum} but e_shoff is 0 (no section header table)`, { file, offset: 60, field: "e_shnum" });
    }
    shstrndx = 0;
  } else {
    if (shentsize !== ELF64_SHDR_SIZE) {
      throw elfError(ElfDiagnostic.BAD_ENTRY_SIZE, `e_shentsize is ${shentsize}, an ELF64 section header is ${ELF64_SHDR_SIZE} bytes`, { file, offset: 58, field: "e_shentsize" });
    }
    if (!reader.has(shoff, ELF64_SHDR_SIZE)) throw tableOutside(file, "e_shoff", 40, `the section header table at 0x${shoff.toString(16)}`);
    // gABI extended numbering: section 0 holds the real count (sh_size) and name-table index (sh_link)
    if (shnum === 0) {
      const count = reader.i64AsNumber(shoff + 32, "section[0].sh_size (extended e_shnum)");
      if (count === undefined || count === 0 || !reader.has(shoff, count * ELF64_SHDR_SIZE)) {
        throw elfError(ElfDiagnostic.BAD_HEADER_TABLE, "e_shnum is 0 and section 0's sh_size gives no usable section count", { file, offset: shoff + 32, field: "section[0].sh_size" });
      }
      shnum = count;
    }
    if (shstrndx === SHN_XINDEX) shstrndx = reader.u32(shoff + 40, "section[0].sh_link (extended e_shstrndx)");
    if (!reader.has(shoff, shnum * ELF64_SHDR_SIZE)) throw tableOutside(file, "e_shoff", 40, `${shnum} section headers at 0x${shoff.toString(16)}`);
    if (shstrndx >= shnum) {
      throw elfError(ElfDiagnostic.BAD_SECTION_LINK, `e_shstrndx ${shstrndx} names no section (the file has ${shnum})`, { file, offset: 62, field: "e_shstrndx" });
    }
  }
  return {
    fileType,
    type,
    machine,
    osAbi: reader.u8(7, "e_ident[EI_OSABI]"),
    entry: reader.u64(24, "e_entry"),
    programHeaderOffset: phoff,
    sectionHeaderOffset: shoff,
    flags: reader.u32(48, "e_flags"),
    programHeaderCount: phnum,
    sectionHeaderCount: shoff === 0 ? 0 : shnum,
    sectionNameTableIndex: shstrndx,
  };
}

function tableOutside(file: string, field: string, offset: number, what?: string) {
  return elfError(
    ElfDiagnostic.BAD_HEADER_TABLE,
    `${what ?? field} lies outside the file`,
    { file, offset, field },
    "the file is truncated or its header is corrupt",
  );
}
