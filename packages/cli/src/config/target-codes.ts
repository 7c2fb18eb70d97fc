/** Diagnostic codes of per-arch configuration targets and `--arch` (NK-TGT-xxx). Stable: never reused for another meaning. */
export const TARGET_CODES = Object.freeze({
  /** `--arch` names an arch the configuration does not support (exit 2) */
  archNotSupported: "NK-TGT-001",
  /** the default `arch` of a portable configuration is not one of its `targets` */
  defaultNotATarget: "NK-TGT-002",
  /** `--arch` is not an arch novakit knows */
  unknownArch: "NK-TGT-003",
  /** `targets` declares no arch at all */
  noTargets: "NK-TGT-004",
} as const);
