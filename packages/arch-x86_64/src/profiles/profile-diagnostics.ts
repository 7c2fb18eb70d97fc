import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/** Stable diagnostic codes of platform profiles (NK-PRF-xxx). */
export const ProfileDiagnostic = {
  /** no built-in profile of that name and no such file */
  UNKNOWN_PROFILE: "NK-PRF-001",
  /** profile file cannot be read */
  UNREADABLE: "NK-PRF-002",
  /** profile file is not valid JSON */
  JSON_SYNTAX: "NK-PRF-003",
  /** profile JSON does not match the schema (the field path says where) */
  SCHEMA: "NK-PRF-004",
  /** CPU model contradicts itself (57-bit VA without LA57, bad address widths) */
  CPU_MODEL: "NK-PRF-005",
  /** the firmware tables describe no usable CPU */
  NO_CPUS: "NK-PRF-006",
  /** plugin option pagingLevels 5 on a CPU without LA57 */
  PAGING_LEVELS: "NK-PRF-007",
  /** memory map regions overlap or are empty */
  MEMORY_MAP: "NK-PRF-008",
} as const;
export type ProfileDiagnosticCode = (typeof ProfileDiagnostic)[keyof typeof ProfileDiagnostic];

export function profileError(code: ProfileDiagnosticCode, message: string, location: InputLocation, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
