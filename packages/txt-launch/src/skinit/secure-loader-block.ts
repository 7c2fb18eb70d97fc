import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { fillerBytes } from "../txt/novakit-test-acm.js";

/** The SLB is 64 KiB; the SL image length is a u16, so at most 65535 bytes are measured (txt-tpm.md §12). */
export const SLB_SIZE = 0x1_0000;
/** word 0 entry offset + word 1 image length */
export const SL_HEADER_SIZE = 4;

export interface SecureLoaderImage {
  readonly entryOffset: number;
  /** exactly the bytes SKINIT sends to the TPM: [SLB, SLB + length) */
  readonly measured: Uint8Array;
}

/**
 * Parses an SL image (txt-tpm.md §12): u16 entry-point offset, u16 image length; only the first
 * `length` bytes are measured, the rest of the 64 KiB block is scratch and stack.
 */
export function parseSecureLoader(bytes: Uint8Array, file: string): SecureLoaderImage {
  const fail = (message: string, offset: number, field: string): NovakitError => new NovakitError(LaunchDiagnostic.BAD_SLB, message, { file, offset, field });
  if (bytes.length < SL_HEADER_SIZE) throw fail(`${bytes.length} bytes is too short for the SL header (entry u16, length u16)`, 0, "SL.header");
  if (bytes.length > SLB_SIZE) throw fail(`${bytes.length} bytes does not fit the 64 KiB secure loader block`, 0, "SLB");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entryOffset = view.getUint16(0, true);
  const length = view.getUint16(2, true);
  if (length < SL_HEADER_SIZE) throw fail(`SL image length ${length} is shorter than its own header`, 2, "SL.length");
  if (length > bytes.length) throw fail(`SL image length ${length} runs past the ${bytes.length} bytes given`, 2, "SL.length");
  if (entryOffset < SL_HEADER_SIZE || entryOffset >= length) throw fail(`SL entry offset 0x${entryOffset.toString(16)} is not inside the image (4..0x${length.toString(16)})`, 0, "SL.entry");
  return { entryOffset, measured: bytes.slice(0, length) };
}

/**
 * Novakit's own secure loader image: a header (entry at 0x40, length 0x2000) and 8 KiB of
 * deterministic bytes standing in for loader code (TrenchBoot's SKL plays this role on real
 * machines). Its measurement identifies the loader; the loader then measures NOVA (skinit/plan).
 */
export function novakitSecureLoader(): Uint8Array {
  const length = 0x2000;
  const image = fillerBytes("novakit secure loader v1", length);
  const view = new DataView(image.buffer);
  view.setUint16(0, 0x40, true);
  view.setUint16(2, length, true);
  return image;
}
