/**
 * Diagnostic codes of `novakit plugin` (NK-SCF-xxx). Stable: a code is never reused for another
 * meaning; docs/diagnostics.md lists them.
 */
export const SCAFFOLD_CODES = Object.freeze({
  /** NAME breaks an npm package-name rule (the message names the rule) */
  badPackageName: "NK-SCF-001",
  /** the target directory exists and is not empty: the scaffold never overwrites */
  directoryNotEmpty: "NK-SCF-002",
  /** the target path exists and is a file, not a directory */
  targetIsFile: "NK-SCF-003",
  /** `novakit plugin` without a subcommand, or with one it does not know */
  unknownSubcommand: "NK-SCF-004",
  /** --kind is not one of the manifest's plugin kinds */
  unknownKind: "NK-SCF-005",
  /** --kind names a kind the scaffold has no starting point for (arch) */
  kindNotScaffolded: "NK-SCF-006",
  /** `novakit plugin new` without NAME */
  missingName: "NK-SCF-007",
} as const);
