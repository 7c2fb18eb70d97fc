import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

/** Program header types and flags of the ELF specification. */
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const ET_EXEC = 2;
export const EM_X86_64 = 0x3e;
export const ELF64_HEADER_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;

export interface ElfProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly fileSize: number;
  readonly memorySize: bigint;
  readonly align: bigint;
}

export interface Elf64Image {
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
  readonly programHeaders: readonly ElfProgramHeader[];
  readonly bytes: Uint8Array;
}

/**
 * A minimal, strict ELF64 little-endian reader: the file header and the program headers, which
 * is all NOVA's measurement needs (the root task's first read-only PT_LOAD, nova.md §6.2; the
 * MLE's PT_LOAD file contents, nova.md §6.4). Every offset and size is checked against the file.
 */
export function readElf64(bytes: Uint8Array, file: string): Elf64Image {
  const fail = (message: string, offset: number, field: string): NovakitError => new NovakitError(LaunchDiagnostic.BAD_ELF, message, { file, offset, field });
  if (bytes.length < ELF64_HEADER_SIZE) throw fail(`${bytes.length} bytes is too short for an ELF64 header (64 bytes)`, 0, "e_ident");
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) throw fail("not an ELF file (no \\x7fELF magic)", 0, "e_ident.magic");
  if (bytes[4] !== 2) throw fail(`ELF class ${bytes[4]}: only ELF64 (2) is supported`, 4, "e_ident.class");
  if (bytes[5] !== 1) throw fail(`ELF data encoding ${bytes[5]}: only little-endian (1) is supported`, 5, "e_ident.data");
  if (bytes[6] !== 1) throw fail(`ELF version ${bytes[6]}, expected 1`, 6, "e_ident.version");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  const entry = view.getBigUint64(24, true);
  const phoff = view.getBigUint64(32, true);
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  if (phnum === 0) throw fail("the ELF file has no program headers", 56, "e_phnum");
  if (phentsize !== ELF64_PHDR_SIZE) throw fail(`program header size ${phentsize}, ELF64 needs ${ELF64_PHDR_SIZE}`, 54, "e_phentsize");
  if (phoff + BigInt(phnum * ELF64_PHDR_SIZE) > BigInt(bytes.length)) throw fail(`the ${phnum} program headers at 0x${phoff.toString(16)} run past the end of the file`, 32, "e_phoff");
  const programHeaders: ElfProgramHeader[] = [];
  for (let index = 0; index < phnum; index++) {
    const at = Number(phoff) + index * ELF64_PHDR_SIZE;
    const offset = view.getBigUint64(at + 8, true);
    const fileSize = view.getBigUint64(at + 32, true);
    const header = {
      type: view.getUint32(at, true),
      flags: view.getUint32(at + 4, true),
      offset: Number(offset),
      vaddr: view.getBigUint64(at + 16, true),
      paddr: view.getBigUint64(at + 24, true),
      fileSize: Number(fileSize),
      memorySize: view.getBigUint64(at + 40, true),
      align: view.getBigUint64(at + 48, true),
    };
    if (header.type === PT_LOAD && offset + fileSize > BigInt(bytes.length)) {
      throw fail(`PT_LOAD segment ${index} (offset 0x${offset.toString(16)}, 0x${fileSize.toString(16)} bytes) runs past the end of the file`, at + 8, `phdr[${index}].p_offset`);
    }
    if (header.type === PT_LOAD && BigInt(header.fileSize) > header.memorySize) {
      throw fail(`PT_LOAD segment ${index} has a file size larger than its memory size`, at + 32, `phdr[${index}].p_filesz`);
    }
    programHeaders.push(header);
  }
  return { type, machine, entry, programHeaders, bytes };
}

/** The file contents of a program header. */
export function segmentBytes(image: Elf64Image, header: ElfProgramHeader): Uint8Array {
  return image.bytes.subarray(header.offset, header.offset + header.fileSize);
}
