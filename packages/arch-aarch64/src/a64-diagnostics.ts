import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/** Stable diagnostic codes of the AArch64 plugin outside the FDT parser (prefix NK-A64). */
export const A64Diagnostic = {
  /** platform is neither a built-in profile nor a readable .dtb file */
  UNKNOWN_PROFILE: "NK-A64-001",
  /** addressBits 52 asked for on a CPU without FEAT_LPA2 */
  NO_LPA2: "NK-A64-002",
  /** a page-table entry cannot be encoded (level, alignment, width) */
  BAD_ENCODING: "NK-A64-003",
  /** a cache attribute VMSAv8-64 has no encoding for (WP) */
  UNSUPPORTED_CACHE: "NK-A64-004",
  /** a page-table geometry VMSAv8-64 cannot express (input/output size, start level) */
  BAD_GEOMETRY: "NK-A64-005",
  /** the tree lacks something a NOVA platform needs (CPUs, memory, a GIC, PSCI for enable-method "psci") */
  INCOMPLETE_PLATFORM: "NK-A64-006",
  /** a CPU uses an enable method other than "psci" (spin-table is not modelled) */
  UNSUPPORTED_ENABLE_METHOD: "NK-A64-007",
  /** the interrupt controller is not a GICv2 or GICv3 this model knows */
  UNSUPPORTED_GIC: "NK-A64-008",
  /** the CPU compatible names a core this model has no ID-register facts for */
  UNKNOWN_CPU: "NK-A64-009",
  /** a value does not fit the architecture (MPIDR with bits outside Aff3..Aff0, interrupt type) */
  BAD_VALUE: "NK-A64-010",
  /** a descriptor holds an output address beyond the configured output size (address size fault) */
  ADDRESS_SIZE_FAULT: "NK-A64-011",
} as const;
export type A64DiagnosticCode = (typeof A64Diagnostic)[keyof typeof A64Diagnostic];

export function a64Error(code: A64DiagnosticCode, message: string, location: InputLocation = {}, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
