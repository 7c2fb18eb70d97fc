import { ELF64_HEADER_SIZE, ELF64_PHDR_SIZE, EM_X86_64, ET_EXEC, PT_LOAD } from "./elf64.js";

export interface ElfSegmentSpec {
  /** PF_R / PF_W / PF_X bits */
  readonly flags: number;
  readonly vaddr: bigint;
  /** contents; a segment whose `includeHeaders` is true starts with the ELF and program headers */
  readonly contents: Uint8Array;
  readonly includeHeaders?: boolean;
  /** extra zero-filled memory after the file contents (.bss) */
  readonly bssSize?: number;
}

/**
 * Writes a small ELF64 x86-64 executable: the synthetic hypervisor and root task images of a
 * configuration, so that the measurement of real files (--mle, --root) and of a configuration
 * go through the same reader. Segments are laid out in order, each 4 KiB aligned in the file.
 */
export function buildElf64(entry: bigint, segments: readonly ElfSegmentSpec[]): Uint8Array {
  const headersSize = ELF64_HEADER_SIZE + ELF64_PHDR_SIZE * segments.length;
  const offsets: number[] = [];
  let cursor = 0;
  for (const segment of segments) {
    const start = segment.includeHeaders === true ? 0 : align(Math.max(cursor, headersSize), 0x1000);
    offsets.push(start);
    cursor = start + (segment.includeHeaders === true ? headersSize : 0) + segment.contents.length;
  }
  const bytes = new Uint8Array(cursor);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  view.setUint16(16, ET_EXEC, true);
  view.setUint16(18, EM_X86_64, true);
  view.setUint32(20, 1, true);
  view.setBigUint64(24, entry, true);
  view.setBigUint64(32, BigInt(ELF64_HEADER_SIZE), true);
  view.setUint16(52, ELF64_HEADER_SIZE, true);
  view.setUint16(54, ELF64_PHDR_SIZE, true);
  view.setUint16(56, segments.length, true);
  segments.forEach((segment, index) => {
    const at = ELF64_HEADER_SIZE + index * ELF64_PHDR_SIZE;
    const offset = offsets[index] as number;
    const headerPart = segment.includeHeaders === true ? headersSize : 0;
    const fileSize = headerPart + segment.contents.length;
    view.setUint32(at, PT_LOAD, true);
    view.setUint32(at + 4, segment.flags, true);
    view.setBigUint64(at + 8, BigInt(offset), true);
    view.setBigUint64(at + 16, segment.vaddr, true);
    view.setBigUint64(at + 24, segment.vaddr, true);
    view.setBigUint64(at + 32, BigInt(fileSize), true);
    view.setBigUint64(at + 40, BigInt(fileSize + (segment.bssSize ?? 0)), true);
    view.setBigUint64(at + 48, 0x1000n, true);
    bytes.set(segment.contents, offset + headerPart);
  });
  return bytes;
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
