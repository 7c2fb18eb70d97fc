import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/**
 * Stable diagnostic codes of the IVRS decoder and encoder (NK-IVRS-xxx). A code is never reused
 * for another meaning; docs/diagnostics.md lists them for users.
 */
export const IvrsDiagnostic = {
  /** a field lies (partly) beyond the end of the table, block or device entry that holds it */
  TRUNCATED: "NK-IVRS-001",
  /** the table is shorter than the 48-byte IVRS header (SDT header + IVinfo + 8 reserved) */
  HEADER_TOO_SHORT: "NK-IVRS-002",
  /** a block's length field is 0, or smaller than the header its type requires */
  BLOCK_LENGTH: "NK-IVRS-003",
  /** a block runs past the end of the table */
  BLOCK_OVERRUN: "NK-IVRS-004",
  /** the device entries of an IVHD do not end exactly at the block end */
  ENTRY_OVERRUN: "NK-IVRS-005",
  /** an IVMD block whose length is not 32 */
  IVMD_LENGTH: "NK-IVRS-006",
  /** the encoder was given a value that does not fit its field */
  ENCODE_FIELD_RANGE: "NK-IVRS-010",
  /** the encoder would produce a block or table longer than its 16/32-bit length field allows */
  ENCODE_TOO_LONG: "NK-IVRS-011",
} as const;

export type IvrsDiagnosticCode = (typeof IvrsDiagnostic)[keyof typeof IvrsDiagnostic];

export function ivrsError(code: IvrsDiagnosticCode, message: string, location: InputLocation, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
