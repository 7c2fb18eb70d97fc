/** Diagnostic codes of configuration input (NK-CFG-xxx). Stable: never reused for another meaning. */
export const CONFIG_CODES = Object.freeze({
  fileNotFound: "NK-CFG-001",
  jsonSyntax: "NK-CFG-002",
  moduleFailed: "NK-CFG-003",
  noDefaultExport: "NK-CFG-004",
  unknownKey: "NK-CFG-005",
  wrongType: "NK-CFG-006",
  outOfRange: "NK-CFG-007",
  duplicateDomain: "NK-CFG-008",
  badDevice: "NK-CFG-009",
  unknownWorkload: "NK-CFG-010",
  badName: "NK-CFG-011",
  cpuOutOfRange: "NK-CFG-012",
  deviceNotOnPlatform: "NK-CFG-013",
  unsupportedExtension: "NK-CFG-014",
  deviceTwice: "NK-CFG-015",
  cmdlineUnknownToken: "NK-CFG-016",
  invalidValue: "NK-CFG-017",
  deviceWithoutIommu: "NK-CFG-018",
} as const);

/** Diagnostic codes of loading plugin modules in the CLI (the kernel's resolver owns NK-PLG-001..012). */
export const PLUGIN_LOAD_CODES = Object.freeze({
  notFound: "NK-PLG-020",
  noPluginExport: "NK-PLG-021",
  moduleFailed: "NK-PLG-022",
  ambiguousExport: "NK-PLG-023",
  noPlatform: "NK-PLG-024",
} as const);
