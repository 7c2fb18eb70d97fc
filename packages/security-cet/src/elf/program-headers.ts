import { ELF64_PHDR_SIZE, PT_GNU_PROPERTY, PT_LOAD } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfHeader, ElfSegment } from "./elf-types.js";

/**
 * The program header table (gABI "Program Header"). A segment's file bytes must lie inside the
 * file, a PT_LOAD segment cannot hold more file bytes than memory, and there is at most one
 * PT_GNU_PROPERTY (a loader reads exactly one, cet.md §5).
 */
export function readProgramHeaders(reader: ElfReader, header: ElfHeader): ElfSegment[] {
  const { file } = reader;
  const segments: ElfSegment[] = [];
  for (let index = 0; index < header.programHeaderCount; index++) {
    const at = header.programHeaderOffset + index * ELF64_PHDR_SIZE;
    const field = (name: string) => `segment[${index}].${name}`;
    const type = reader.u32(at, field("p_type"));
    const rawOffset = reader.u64(at + 8, field("p_offset"));
    const fileSize = reader.u64(at + 32, field("p_filesz"));
    const memorySize = reader.u64(at + 40, field("p_memsz"));
    if (rawOffset + fileSize > BigInt(reader.bytes.length)) {
      throw elfError(
        ElfDiagnostic.BAD_PROGRAM_HEADER,
        `segment ${index} (offset 0x${rawOffset.toString(16)}, file size 0x${fileSize.toString(16)}) runs past the end of the file (${reader.bytes.length} bytes)`,
        { file, offset: at + 8, field: field("p_offset") },
        "the file is truncated or the program header is corrupt",
      );
    }
    if (type === PT_LOAD && fileSize > memorySize) {
      throw elfError(ElfDiagnostic.BAD_PROGRAM_HEADER, `PT_LOAD segment ${index} has p_filesz 0x${fileSize.toString(16)} > p_memsz 0x${memorySize.toString(16)}`, {
        file,
        offset: at + 32,
        field: field("p_filesz"),
      });
    }
    if (type === PT_GNU_PROPERTY && segments.some((segment) => segment.type === PT_GNU_PROPERTY)) {
      throw elfError(ElfDiagnostic.BAD_PROGRAM_HEADER, `segment ${index} is a second PT_GNU_PROPERTY`, { file, offset: at, field: field("p_type") });
    }
    segments.push({
      index,
      type,
      flags: reader.u32(at + 4, field("p_flags")),
      offset: Number(rawOffset),
      virtualAddress: reader.u64(at + 16, field("p_vaddr")),
      fileSize: Number(fileSize),
      memorySize,
      align: reader.u64(at + 48, field("p_align")),
      headerOffset: at,
    });
  }
  return segments;
}
