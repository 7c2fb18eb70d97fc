import type { CpuFeature } from "@novakit/kernel-core";
import type { CfpLevel } from "../options/cet-options.js";

/** The two protections a CFP level compiles in (cet.md §6 `__CET__ & 1` IBT, `& 2` shadow stack). */
export interface CfpProtections {
  /** indirect branch tracking: ENDBR64 landing pads, S_CET.ENDBR_EN */
  readonly ibt: boolean;
  /** supervisor shadow stacks: SETSSBSY/CLRSSBSY/INCSSP sites, S_CET.SH_STK_EN */
  readonly sss: boolean;
}

export function protectionsOf(level: CfpLevel): CfpProtections {
  return { ibt: level === "branch" || level === "full", sss: level === "return" || level === "full" };
}

export function levelOf(protections: CfpProtections): CfpLevel {
  if (protections.ibt && protections.sss) return "full";
  if (protections.ibt) return "branch";
  if (protections.sss) return "return";
  return "none";
}

/**
 * CPUID bits each protection needs. NOVA keeps IBT when CPUID.(7,0):EDX[20] and SSS only when
 * CPUID.(7,1):EDX[18] CET_SSS, not merely CET_SS (cet.md §7 step 1); CET_SSS without CET_SS is
 * not a real CPU, so a shadow-stack level names both when both are absent.
 */
export const IBT_FEATURES: readonly CpuFeature[] = Object.freeze(["CET_IBT"]);
export const SSS_FEATURES: readonly CpuFeature[] = Object.freeze(["CET_SS", "CET_SSS"]);

/** Where each CET feature bit lives (cet.md §1), for messages. */
export const CET_FEATURE_SOURCE: Readonly<Record<string, string>> = Object.freeze({
  CET_IBT: "CPUID.(7,0):EDX[20]",
  CET_SS: "CPUID.(7,0):ECX[7]",
  CET_SSS: "CPUID.(7,1):EDX[18]",
});
