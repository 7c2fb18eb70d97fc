/**
 * The NK-TXT-0xx (measured launch: TXT, SKINIT, ACM, MLE, ELF inputs) and NK-LOG-0xx (TCG event
 * log parsing and verification) diagnostic codes, documented in docs/diagnostics.md. A code is
 * never reused for another meaning.
 */
export const LaunchDiagnostic = {
  /** Intel TXT requested but the CPU has no SMX (CPUID.1:ECX[6]) */
  NO_SMX: "NK-TXT-001",
  /** TXT requested on an AMD CPU, or SKINIT on an Intel CPU (`check` reports it) */
  METHOD_VENDOR_MISMATCH: "NK-TXT-002",
  /** a GETSEC[SENTER] precondition is not met (capabilities, TXT registers, error code, MCE, ...) */
  SENTER_PRECONDITION: "NK-TXT-003",
  /** the SINIT ACM header or information table is malformed (truncated, wrong type, bad size) */
  BAD_ACM: "NK-TXT-004",
  /** the SINIT ACM does not match the platform (chipset DIDVID or processor FMS/PLATFORM_ID) */
  ACM_PLATFORM_MISMATCH: "NK-TXT-005",
  /** the SINIT ACM cannot launch this MLE (OsSinitData version, MLE header version, banks) */
  ACM_UNSUITABLE: "NK-TXT-006",
  /** the MLE header is missing or malformed (UUID, length, version, range) */
  BAD_MLE_HEADER: "NK-TXT-007",
  /** a TXT heap table is malformed or does not fit TXT.HEAP.SIZE */
  BAD_HEAP: "NK-TXT-008",
  /** an ELF file (--mle, --root) is malformed or not an x86-64 ELF64 executable */
  BAD_ELF: "NK-TXT-009",
  /** the root ELF has no read-only PT_LOAD segment with file contents to measure */
  NO_ROOT_SEGMENT: "NK-TXT-010",
  /** the SKINIT secure loader block is malformed (header, length beyond 64 KiB) */
  BAD_SLB: "NK-TXT-011",
  /** a SKINIT precondition is not met (no SVM) */
  SKINIT_PRECONDITION: "NK-TXT-012",
  /** the launch cannot run on this platform (not x86_64, unknown vendor) */
  NO_LAUNCH_METHOD: "NK-TXT-013",
  /** an input file of the launch (--mle, --root, ACM) cannot be read */
  FILE_UNREADABLE: "NK-TXT-014",
  /** the TPM has no bank the launch can use, or the ACM cannot compute an allocated bank */
  NO_USABLE_BANK: "NK-TXT-015",
  /** after the launch, the TPM's PCRs differ from what the launch extended: the TPM misbehaved */
  TPM_DISAGREES: "NK-TXT-016",
  /** the kernel did not hand the launch its resolved plugin list (an older kernel-core) */
  NO_PLUGIN_LIST: "NK-TXT-017",
  /** a command that needs the measured launch (measure, boot --tpm) on a configuration without it */
  NO_LAUNCH_PLUGIN: "NK-TXT-018",
  /** the TPM failed mid-launch (no answer within the timeout, garbage, connection gone): measurements not extended */
  TPM_STOPPED: "NK-TXT-019",

  /** the event log ends inside a record */
  LOG_TRUNCATED: "NK-LOG-001",
  /** the first record is not a valid Spec ID Event03 header */
  LOG_BAD_HEADER: "NK-LOG-002",
  /** an algorithm id the verifier does not know (header table or record) */
  LOG_UNKNOWN_ALGORITHM: "NK-LOG-003",
  /** a digest size that disagrees with the algorithm (header table) */
  LOG_BAD_DIGEST_SIZE: "NK-LOG-004",
  /** an absurd count or size: algorithms, digests per record, event size */
  LOG_ABSURD_COUNT: "NK-LOG-005",
  /** a record's digest list does not list exactly the header's algorithms */
  LOG_DIGEST_MISMATCH: "NK-LOG-006",
  /** a PCR index outside 0-23 (other than the non-extended 0xFF) */
  LOG_BAD_PCR: "NK-LOG-007",
  /** the expected-values JSON (verify-log --expected) is malformed */
  LOG_BAD_EXPECTED: "NK-LOG-008",
  /** the log has no bank in common with the TPM or the expected values */
  LOG_NO_COMMON_BANK: "NK-LOG-009",
} as const;

export type LaunchDiagnosticCode = (typeof LaunchDiagnostic)[keyof typeof LaunchDiagnostic];
