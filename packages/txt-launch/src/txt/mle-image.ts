import { NovakitError } from "@novakit/kernel-core";
import { readElf64, EM_X86_64, ET_EXEC, PT_LOAD, segmentBytes } from "../elf/elf64.js";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { findMleHeader, type MleHeader } from "./mle-header.js";

export interface MleImage {
  readonly header: MleHeader;
  /** where the MLE header sits in the file */
  readonly headerOffset: number;
  /** where it sits in the measured MLE (linear, the MLE starting at 0): OsSinitData.MleHeaderBase */
  readonly headerLinearOffset: number;
  /** the exact bytes SINIT hashes: MleEnd - MleStart bytes of PT_LOAD file contents */
  readonly measured: Uint8Array;
}

/**
 * The bytes SINIT measures of a NOVA hypervisor ELF, as NOVA's cmd/digest computes the reference
 * value (nova.md §6.4): find the MLE header, check ELF64 / little-endian / ET_EXEC / x86-64,
 * then take the file contents of the PT_LOAD segments with a non-zero file size, in order, until
 * MleEnd - MleStart bytes are out.
 */
export function mleImageFromElf(bytes: Uint8Array, file: string): MleImage {
  const { offset, header } = findMleHeader(bytes, file);
  const elf = readElf64(bytes, file);
  if (elf.type !== ET_EXEC || elf.machine !== EM_X86_64) {
    throw new NovakitError(LaunchDiagnostic.BAD_ELF, `the hypervisor ELF is type ${elf.type} machine 0x${elf.machine.toString(16)}; NOVA's digest needs ET_EXEC (2) for x86-64 (0x3e)`, { file, offset: 16, field: "e_type" });
  }
  const length = header.mleEnd - header.mleStart;
  const measured = new Uint8Array(length);
  let filled = 0;
  let headerLinearOffset: number | undefined;
  for (const segment of elf.programHeaders) {
    if (filled === length) break;
    if (segment.type !== PT_LOAD || segment.fileSize === 0) continue;
    if (offset >= segment.offset && offset < segment.offset + segment.fileSize) headerLinearOffset = filled + (offset - segment.offset);
    const contents = segmentBytes(elf, segment);
    const take = Math.min(contents.length, length - filled);
    measured.set(contents.subarray(0, take), filled);
    filled += take;
  }
  if (filled < length) {
    throw new NovakitError(LaunchDiagnostic.BAD_MLE_HEADER, `the MLE header says ${length} bytes are measured, but the PT_LOAD segments hold only ${filled}`, { file, offset: offset + 36, field: "MleHeader.MleEnd" });
  }
  if (headerLinearOffset === undefined || headerLinearOffset >= length) {
    throw new NovakitError(LaunchDiagnostic.BAD_MLE_HEADER, "the MLE header is not inside the measured PT_LOAD bytes: SINIT would not find it in the MLE", { file, offset, field: "MleHeader" });
  }
  return { header, headerOffset: offset, headerLinearOffset, measured };
}
