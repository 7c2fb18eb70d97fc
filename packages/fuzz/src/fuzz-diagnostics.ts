import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/**
 * Diagnostic codes of the fuzz runner (`npm run fuzz`). They are about how the fuzzer was asked
 * to run, never about what a target found: a finding is reported as a finding, not as an error.
 */
export const FuzzDiagnostic = {
  /** an option the fuzz CLI does not know, or an option without its value */
  UNKNOWN_OPTION: "NK-FUZ-001",
  /** --target names no registered target */
  UNKNOWN_TARGET: "NK-FUZ-002",
  /** --iterations, --seconds or --seed is not a number in range */
  BAD_NUMBER: "NK-FUZ-003",
  /** options that contradict each other or are missing (no target, both --iterations and --seconds) */
  CONFLICTING_OPTIONS: "NK-FUZ-004",
  /** a target that gives the mutator nothing to start from */
  NO_SEEDS: "NK-FUZ-005",
  /** --corpus names a path that is not a readable directory */
  BAD_CORPUS: "NK-FUZ-006",
  /** the --report file or a regression fixture cannot be written */
  WRITE_FAILED: "NK-FUZ-007",
  /** a saved regression fixture names a target that is not registered */
  UNKNOWN_REGRESSION_TARGET: "NK-FUZ-008",
} as const;

export type FuzzDiagnosticCode = (typeof FuzzDiagnostic)[keyof typeof FuzzDiagnostic];

export function fuzzError(code: FuzzDiagnosticCode, message: string, location: InputLocation = {}, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
