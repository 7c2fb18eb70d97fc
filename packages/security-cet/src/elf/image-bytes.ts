import { PT_LOAD, SHF_ALLOC, SHT_NOBITS, SHT_NULL } from "./elf-constants.js";
import type { Elf64File, ElfSection } from "./elf-types.js";

/** Where code or data of a function or relocation site lies in the file. */
export interface FileLocation {
  /** file offset of the first byte */
  readonly offset: number;
  /** bytes readable from `offset` up to the end of the holding section or segment */
  readonly available: number;
  /** the section that holds it, when the file has section headers */
  readonly section: ElfSection | undefined;
}

/**
 * A section offset of a relocatable object (st_value and r_offset are offsets into the section
 * st_shndx / sh_info names) as a file location; undefined when the section has no file bytes.
 */
export function sectionOffsetLocation(section: ElfSection, sectionOffset: bigint): FileLocation | undefined {
  if (section.type === SHT_NOBITS || section.type === SHT_NULL || sectionOffset < 0n || sectionOffset >= BigInt(section.fileSize)) return undefined;
  const inside = Number(sectionOffset);
  return { offset: section.offset + inside, available: section.fileSize - inside, section };
}

/**
 * A virtual address of an executable or shared object as a file location: through the allocated
 * section that holds it, else (no section headers) through the PT_LOAD segment's file bytes.
 * Undefined when the address is in no file-backed byte (e.g. .bss).
 */
export function virtualAddressLocation(elf: Elf64File, address: bigint): FileLocation | undefined {
  for (const section of elf.sections) {
    if ((section.flags & SHF_ALLOC) === 0n || section.type === SHT_NOBITS || section.type === SHT_NULL) continue;
    if (address >= section.address && address < section.address + BigInt(section.fileSize)) {
      const inside = Number(address - section.address);
      return { offset: section.offset + inside, available: section.fileSize - inside, section };
    }
  }
  if (elf.sections.length > 0) return undefined;
  for (const segment of elf.segments) {
    if (segment.type !== PT_LOAD) continue;
    if (address >= segment.virtualAddress && address < segment.virtualAddress + BigInt(segment.fileSize)) {
      const inside = Number(address - segment.virtualAddress);
      return { offset: segment.offset + inside, available: segment.fileSize - inside, section: undefined };
    }
  }
  return undefined;
}
