import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { PF_W, PT_LOAD, readElf64, segmentBytes } from "./elf64.js";

/**
 * What NOVA measures of the root task into PCR 19 (nova.md §6.2, txt-tpm.md §11): the whole file
 * contents of the first PT_LOAD segment that is not writable (normally its code, which should
 * include the ELF header and program headers).
 */
export function rootMeasuredSegment(bytes: Uint8Array, file: string): Uint8Array {
  const image = readElf64(bytes, file);
  const segment = image.programHeaders.find((header) => header.type === PT_LOAD && (header.flags & PF_W) === 0 && header.fileSize > 0);
  if (segment === undefined) {
    throw new NovakitError(LaunchDiagnostic.NO_ROOT_SEGMENT, "the root ELF has no read-only PT_LOAD segment with file contents: NOVA would have nothing to measure", { file, field: "program headers" });
  }
  return segmentBytes(image, segment);
}
