import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import type { BigEndianReader } from "./big-endian-reader.js";
import type { BigEndianWriter } from "./big-endian-writer.js";
import { PCR_SELECT_BYTES } from "./tpm-constants.js";

/**
 * TPML_PCR_SELECTION (txt-tpm.md §10.6): count u32, then per bank TPMS_PCR_SELECTION
 * {hash u16 (TPM_ALG_ID), sizeofSelect u8, pcrSelect[sizeofSelect]} where PCR n is bit (n mod 8)
 * of byte (n div 8). Example (sha256 PCR 17): 00000001 000b 03 000002.
 */
export interface PcrSelection {
  /** TPM_ALG_ID of the bank; kept numeric so unknown banks (SM3...) survive decoding */
  readonly algorithmId: number;
  /** selected PCR indices, ascending */
  readonly pcrs: readonly number[];
}

/** The bitmap for `pcrs` in `sizeofSelect` bytes (3 for 24 PCRs). */
export function encodePcrBitmap(pcrs: readonly number[], sizeofSelect = PCR_SELECT_BYTES): Uint8Array {
  const bitmap = new Uint8Array(sizeofSelect);
  for (const pcr of pcrs) {
    const byte = pcr >>> 3;
    if (!Number.isInteger(pcr) || pcr < 0 || byte >= sizeofSelect) {
      throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `PCR ${pcr} does not fit a ${sizeofSelect}-byte selection`, { field: "pcrSelect" });
    }
    bitmap[byte] = (bitmap[byte] ?? 0) | (1 << (pcr & 7));
  }
  return bitmap;
}

/** PCR indices set in a bitmap, ascending. */
export function decodePcrBitmap(bitmap: Uint8Array): number[] {
  const pcrs: number[] = [];
  bitmap.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit++) if ((byte & (1 << bit)) !== 0) pcrs.push(index * 8 + bit);
  });
  return pcrs;
}

export function writePcrSelectionList(writer: BigEndianWriter, selections: readonly PcrSelection[]): void {
  writer.u32(selections.length);
  for (const selection of selections) {
    const bitmap = encodePcrBitmap(selection.pcrs);
    writer.u16(selection.algorithmId).u8(bitmap.length).raw(bitmap);
  }
}

/**
 * Reads a TPML_PCR_SELECTION. `maxBanks` bounds the count so a garbled count cannot make the
 * reader loop over millions of entries before noticing the bytes ran out.
 */
export function readPcrSelectionList(reader: BigEndianReader, field: string, maxBanks = 16): PcrSelection[] {
  const countOffset = reader.offset;
  const count = reader.u32(`${field}.count`);
  if (count > maxBanks) throw reader.error(`${field}.count ${count} exceeds ${maxBanks} banks`, `${field}.count`, countOffset);
  const selections: PcrSelection[] = [];
  for (let index = 0; index < count; index++) {
    const algorithmId = reader.u16(`${field}.pcrSelections[${index}].hash`);
    const sizeofSelect = reader.u8(`${field}.pcrSelections[${index}].sizeofSelect`);
    const bitmap = reader.raw(sizeofSelect, `${field}.pcrSelections[${index}].pcrSelect`);
    selections.push({ algorithmId, pcrs: decodePcrBitmap(bitmap) });
  }
  return selections;
}
