import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

/** MLE header UUID as four little-endian u32 (txt-tpm.md §2.1). */
export const MLE_HEADER_UUID: readonly number[] = [0x9082ac5a, 0x74a7476f, 0xa2555c0f, 0x42b651cb];
/** Header length of version 2.1+ headers: 52 bytes. */
export const MLE_HEADER_LENGTH = 52;
/** NOVA's MLE header version (nova.md §6.1). */
export const NOVA_MLE_HEADER_VERSION = 0x20003;
/** NOVA's MLE capabilities: bits 10:0 (nova.md §6.1). */
export const NOVA_MLE_CAPABILITIES = 0x7ff;

/** MLE header (txt-tpm.md §2.1): every field after the UUID is a u32. */
export interface MleHeader {
  readonly version: number;
  readonly entryPoint: number;
  readonly firstValidPage: number;
  readonly mleStart: number;
  readonly mleEnd: number;
  readonly capabilities: number;
  readonly cmdlineStart: number;
  readonly cmdlineEnd: number;
}

export function encodeMleHeader(header: MleHeader): Uint8Array {
  const bytes = new Uint8Array(MLE_HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  MLE_HEADER_UUID.forEach((word, index) => view.setUint32(4 * index, word, true));
  const fields = [MLE_HEADER_LENGTH, header.version, header.entryPoint, header.firstValidPage, header.mleStart, header.mleEnd, header.capabilities, header.cmdlineStart, header.cmdlineEnd];
  fields.forEach((value, index) => view.setUint32(16 + 4 * index, value >>> 0, true));
  return bytes;
}

function hasUuidAt(view: DataView, offset: number): boolean {
  return MLE_HEADER_UUID.every((word, index) => view.getUint32(offset + 4 * index, true) === word);
}

/** Parses an MLE header at `offset`; the UUID, length and a sane range are required. */
export function parseMleHeader(bytes: Uint8Array, offset: number, file: string): MleHeader {
  const fail = (message: string, at: number, field: string): NovakitError => new NovakitError(LaunchDiagnostic.BAD_MLE_HEADER, message, { file, offset: at, field });
  if (offset + MLE_HEADER_LENGTH > bytes.length) throw fail("the MLE header runs past the end of the image", offset, "MleHeader");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!hasUuidAt(view, offset)) throw fail("no MLE header UUID (9082ac5a-74a7476f-a2555c0f-42b651cb) here", offset, "MleHeader.UUID");
  const length = view.getUint32(offset + 16, true);
  if (length !== MLE_HEADER_LENGTH) throw fail(`MLE header length ${length}, expected ${MLE_HEADER_LENGTH}`, offset + 16, "MleHeader.HeaderLen");
  const field = (index: number): number => view.getUint32(offset + 20 + 4 * index, true);
  const header: MleHeader = {
    version: field(0),
    entryPoint: field(1),
    firstValidPage: field(2),
    mleStart: field(3),
    mleEnd: field(4),
    capabilities: field(5),
    cmdlineStart: field(6),
    cmdlineEnd: field(7),
  };
  if (header.mleEnd <= header.mleStart) throw fail(`MleEnd 0x${header.mleEnd.toString(16)} is not above MleStart 0x${header.mleStart.toString(16)}`, offset + 36, "MleHeader.MleEnd");
  return header;
}

/**
 * Finds NOVA's MLE header the way cmd/digest does (nova.md §6.4): an 8-byte-step scan for the
 * UUID with length 52 and version 0x20003.
 */
export function findMleHeader(bytes: Uint8Array, file: string): { readonly offset: number; readonly header: MleHeader } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + MLE_HEADER_LENGTH <= bytes.length; offset += 8) {
    if (!hasUuidAt(view, offset)) continue;
    if (view.getUint32(offset + 16, true) !== MLE_HEADER_LENGTH || view.getUint32(offset + 20, true) !== NOVA_MLE_HEADER_VERSION) continue;
    return { offset, header: parseMleHeader(bytes, offset, file) };
  }
  throw new NovakitError(LaunchDiagnostic.BAD_MLE_HEADER, "no MLE header (UUID, length 52, version 0x20003) in the image: not a NOVA hypervisor built for TXT", { file, field: "MleHeader" });
}
