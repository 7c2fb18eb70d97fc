/** Diagnostic codes of `novakit report` (NK-RPT-xxx). Stable: never reused for another meaning. */
export const REPORT_CODES = Object.freeze({
  /** the named configuration does not exist or cannot be read */
  configUnreadable: "NK-RPT-001",
  /** the directory of `-o FILE` does not exist (report does not create directories) */
  outputDirectoryMissing: "NK-RPT-002",
  /** `-o` names a directory, not a file */
  outputIsDirectory: "NK-RPT-003",
  /** writing the report failed (permissions, disk full); nothing is left under the name */
  writeFailed: "NK-RPT-004",
} as const);
