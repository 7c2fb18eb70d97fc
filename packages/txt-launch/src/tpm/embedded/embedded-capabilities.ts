import { TpmPt } from "../wire/tpm-constants.js";

/** Four ASCII characters as the u32 TPM properties use for strings ("2.0\0", vendor strings). */
function ascii4(text: string): number {
  const bytes = new TextEncoder().encode(text.padEnd(4, "\0").slice(0, 4));
  return ((bytes[0] ?? 0) << 24 | (bytes[1] ?? 0) << 16 | (bytes[2] ?? 0) << 8 | (bytes[3] ?? 0)) >>> 0;
}

/**
 * The fixed TPM properties the embedded TPM reports for TPM_CAP_TPM_PROPERTIES (txt-tpm.md
 * §10.7), sorted by property tag as GetCapability requires. Sizes match swtpm's so a client that
 * sizes its buffers from them behaves the same on both.
 */
export const EMBEDDED_TPM_PROPERTIES: readonly (readonly [number, number])[] = [
  [TpmPt.FAMILY_INDICATOR, ascii4("2.0")],
  [TpmPt.LEVEL, 0],
  [TpmPt.REVISION, 164],
  [TpmPt.MANUFACTURER, ascii4("NVKT")],
  [TpmPt.VENDOR_STRING_1, ascii4("Nova")],
  [TpmPt.VENDOR_STRING_2, ascii4("kit ")],
  [TpmPt.VENDOR_STRING_3, 0],
  [TpmPt.VENDOR_STRING_4, 0],
  [TpmPt.INPUT_BUFFER, 1024],
  [TpmPt.PCR_COUNT, 24],
  [TpmPt.PCR_SELECT_MIN, 3],
  [TpmPt.MAX_COMMAND_SIZE, 4096],
  [TpmPt.MAX_RESPONSE_SIZE, 4096],
  [TpmPt.MAX_DIGEST, 64],
];
