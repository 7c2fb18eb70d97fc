/**
 * Diagnostic codes of `novakit check --isolation` and of the derived AI-host firmware
 * (NK-ISO-0xx). Stable: never reused for another meaning; docs/diagnostics.md lists them.
 */
export const ISOLATION_CODES = Object.freeze({
  /** a device of one domain can reach a frame that belongs to another domain */
  foreignDomainMemory: "NK-ISO-001",
  /** a device can reach a frame the kernel allocated (page tables, device table, queues) */
  kernelMemory: "NK-ISO-002",
  /** a device's DMA is not translated (no IOMMU, nosmmu, DTE V=0): it reaches all physical memory */
  passthrough: "NK-ISO-003",
  /** the IOMMU plugin's reach report leaves out a device that was asked for */
  incompleteReport: "NK-ISO-004",
  /** a firmware table the AI-host derivation starts from is missing or malformed */
  derivationInput: "NK-ISO-010",
} as const);

export type IsolationCode = (typeof ISOLATION_CODES)[keyof typeof ISOLATION_CODES];
