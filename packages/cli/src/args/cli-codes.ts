/** Diagnostic codes of command-line usage (NK-CLI-xxx). Stable: never reused for another meaning. */
export const CLI_CODES = Object.freeze({
  unknownCommand: "NK-CLI-001",
  badOption: "NK-CLI-002",
  unexpectedArgument: "NK-CLI-003",
  refuseOverwrite: "NK-CLI-004",
  writeFailed: "NK-CLI-005",
  badOptionValue: "NK-CLI-006",
  /** compose: an aarch64 platform NOVA has no BOARD for */
  noNovaBoard: "NK-CLI-007",
  /** matrix: the platform lacks what a scenario needs (e.g. devices for two tenants) */
  scenarioNotHosted: "NK-CLI-008",
} as const);
