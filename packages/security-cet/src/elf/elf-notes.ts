import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfNote } from "./elf-types.js";

/** Note header: namesz, descsz, type (three 4-byte words, gABI "Note Section"). */
const NOTE_HEADER_SIZE = 12;

function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

/**
 * The notes in [start, start + size). Entries are padded to the note alignment: 4 bytes, or 8
 * for 8-aligned note sections such as .note.gnu.property in ELF64 (cet.md §5). The descriptor
 * starts at align(12 + namesz) and the next note at align(descriptor + descsz), as binutils
 * and the Linux loader compute them. Every header, name and descriptor must fit the region.
 */
export function readNotes(reader: ElfReader, start: number, size: number, alignment: bigint, where: string): ElfNote[] {
  const { file } = reader;
  let align: number;
  if (alignment <= 4n) align = 4;
  else if (alignment === 8n) align = 8;
  else {
    throw elfError(ElfDiagnostic.BAD_NOTE, `${where}: note alignment ${alignment} is neither 4 nor 8`, { file, offset: start, field: `${where}.sh_addralign` });
  }
  const end = start + size;
  const notes: ElfNote[] = [];
  let at = start;
  while (at < end) {
    const field = (name: string) => `${where}.notes[${notes.length}].${name}`;
    if (at + NOTE_HEADER_SIZE > end) {
      throw elfError(ElfDiagnostic.BAD_NOTE, `${where}: ${end - at} byte(s) left at 0x${at.toString(16)}, too few for a 12-byte note header`, {
        file,
        offset: at,
        field: field("n_namesz"),
      });
    }
    const namesz = reader.u32(at, field("n_namesz"));
    const descsz = reader.u32(at + 4, field("n_descsz"));
    const type = reader.u32(at + 8, field("n_type"));
    const nameStart = at + NOTE_HEADER_SIZE;
    const descriptorOffset = alignUp(nameStart + namesz - start, align) + start;
    if (nameStart + namesz > end || descriptorOffset > end) {
      throw elfError(ElfDiagnostic.BAD_NOTE, `${where}: n_namesz ${namesz} runs past the end of the notes at 0x${end.toString(16)}`, {
        file,
        offset: at,
        field: field("n_namesz"),
      });
    }
    if (descriptorOffset + descsz > end) {
      throw elfError(ElfDiagnostic.BAD_NOTE, `${where}: n_descsz ${descsz} runs past the end of the notes at 0x${end.toString(16)}`, {
        file,
        offset: at + 4,
        field: field("n_descsz"),
      });
    }
    const name = reader.slice(nameStart, namesz, field("name"));
    const nul = name.indexOf(0);
    const owner = reader.text(nameStart, nameStart + (nul < 0 ? namesz : nul));
    notes.push({ owner, namesz, type, descriptor: reader.slice(descriptorOffset, descsz, field("desc")), offset: at, descriptorOffset });
    // the last note may omit its trailing padding
    at = Math.min(end, alignUp(descriptorOffset + descsz - start, align) + start);
  }
  return notes;
}
