/**
 * Control flow inside the embedded TPM's command processor: a check that fails throws this with
 * the TPM_RC to answer, and the processor turns it into a 10-byte error response. It never
 * leaves the processor (the client sees response bytes, exactly as from a real TPM).
 */
export class TpmRcFailure extends Error {
  constructor(readonly responseCode: number) {
    super(`TPM_RC 0x${responseCode.toString(16)}`);
  }
}
