/** The invariants the checker knows, by their stable names. */
export type InvariantName = "refcount" | "permission" | "space-ownership" | "device-reach" | "quota";

export const INVARIANT_NAMES: readonly InvariantName[] = Object.freeze(["refcount", "permission", "space-ownership", "device-reach", "quota"]);

/** What a violation is about; only the fields that apply are set. */
export interface InvariantSubject {
  readonly objectId?: number;
  readonly pdId?: number;
  readonly spaceId?: number;
  readonly selector?: number;
  /** physical frame number */
  readonly frame?: bigint;
  /** input page number in the space */
  readonly page?: bigint;
  /** segment << 16 | bus << 8 | device << 3 | function */
  readonly sbdf?: number;
}

/**
 * A broken kernel invariant. Deliberately a plain Error and NOT a NovakitError: a NovakitError
 * is the clear diagnostic that bad *input* gets, while this is a bug in the kernel (or in a
 * plugin), and the fuzz runner treats everything that is not a NovakitError as a finding.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: InvariantName,
    readonly subject: InvariantSubject,
    message: string,
  ) {
    super(`[${invariant}] ${message}`);
    this.name = "InvariantViolation";
  }
}
