/**
 * The NK-TPM-0xx diagnostic codes of the TPM layer (documented in docs/diagnostics.md). A code is
 * never reused for another meaning; the launch and the CLI match on them (exit status 2).
 */
export const TpmDiagnostic = {
  /** a TPM response that does not parse: short, wrong tag, truncated field, trailing bytes */
  MALFORMED_RESPONSE: "NK-TPM-001",
  /** a response header whose size field is impossible (below 10 or above the size limit) */
  BAD_RESPONSE_SIZE: "NK-TPM-002",
  /** the TPM answered with an error response code (decoded in the message) */
  COMMAND_FAILED: "NK-TPM-003",
  /** the TPM refused the command at this locality (TPM_RC_LOCALITY 0x907) */
  LOCALITY_REFUSED: "NK-TPM-004",
  /** a bad argument to the TPM API: PCR index, locality, bank, digest length, byte count */
  BAD_ARGUMENT: "NK-TPM-005",
  /** a --tpm value that is not "embedded" or tcp://host:port */
  BAD_TPM_URL: "NK-TPM-006",
  /** no TPM listening at the address (connection refused, host unreachable) */
  CONNECTION_FAILED: "NK-TPM-007",
  /** the TPM did not answer within the timeout */
  TIMEOUT: "NK-TPM-008",
  /** the TPM closed or reset the connection before its answer was complete */
  CONNECTION_LOST: "NK-TPM-009",
  /** swtpm's control channel answered a non-zero result or a malformed reply */
  CONTROL_FAILED: "NK-TPM-010",
  /** a requested PCR bank is not allocated on this TPM (PCR_Read returned nothing for it) */
  BANK_NOT_ALLOCATED: "NK-TPM-011",
  /** the TPM object was used after close() */
  CLOSED: "NK-TPM-012",
  /** the PCRs kept changing between the parts of a multi-response PCR_Read */
  PCRS_CHANGED: "NK-TPM-013",
} as const;

export type TpmDiagnosticCode = (typeof TpmDiagnostic)[keyof typeof TpmDiagnostic];
