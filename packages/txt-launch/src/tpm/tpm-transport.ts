/**
 * What carries TPM 2.0 command bytes to a TPM and back. The embedded TPM and the TCP client
 * differ only here; command building, response checking and error decoding are shared
 * (wire-tpm.ts), so both TPMs are held to exactly the same wire format.
 */
export interface TpmTransport {
  /** "embedded" or "tcp://host:port" */
  readonly description: string;
  /**
   * Sends one whole command and returns the whole response, unchecked. With `locality`, the
   * command runs at that locality (the control channel's SET_LOCALITY on swtpm, txt-tpm.md §5).
   */
  transmit(command: Uint8Array, locality?: number): Promise<Uint8Array>;
  /** _TPM_Hash_Start / _TPM_Hash_Data / _TPM_Hash_End at locality 4 over `data` (txt-tpm.md §5) */
  hashSequence(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
