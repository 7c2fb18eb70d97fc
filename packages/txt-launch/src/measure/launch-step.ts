/**
 * One measurement of a measured launch, in the order the hardware, SINIT/the secure loader and
 * NOVA make them. A plan of steps is run against a TPM (the launch) or against a model of the
 * PCRs (the prediction); both write the same event-log records, so they cannot drift apart.
 */
export type LaunchStep = DrtmStep | ExtendStep;

/**
 * The locality-4 DRTM hash sequence (GETSEC[SENTER] microcode or SKINIT): PCRs 17-22 reset to
 * zero, PCR 17 extended with H_bank(data) in every bank (txt-tpm.md §1.3 item 4, §12).
 */
export interface DrtmStep {
  readonly kind: "drtm";
  readonly data: Uint8Array;
  readonly eventType: number;
  /** the event data logged (for TXT the 36 bytes SinitHash ‖ EDX themselves) */
  readonly event: Uint8Array;
  readonly description: string;
}

/** A TPM2_PCR_Extend at a locality of H_bank(measured) in every bank. */
export interface ExtendStep {
  readonly kind: "extend";
  readonly pcr: number;
  readonly locality: number;
  /** the bytes hashed per bank */
  readonly measured: Uint8Array;
  readonly eventType: number;
  readonly event: Uint8Array;
  readonly description: string;
}

/** PCR 17: the only PCR a DRTM step extends. */
export const DRTM_PCR = 17;
