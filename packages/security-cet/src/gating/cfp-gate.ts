import type { CpuFeature, CpuModel } from "@novakit/kernel-core";
import type { CfpLevel } from "../options/cet-options.js";
import { CET_FEATURE_SOURCE, IBT_FEATURES, levelOf, protectionsOf, SSS_FEATURES, type CfpProtections } from "./cfp-protections.js";

/** What a CPU makes of a CFP level: the protections that stay live and the features missing. */
export interface CfpGate {
  readonly level: CfpLevel;
  /** protections the image carries (the build level) */
  readonly built: CfpProtections;
  /** protections NOVA keeps on this CPU: built AND supported (the rest is patched to NOPs) */
  readonly live: CfpProtections;
  /** CPU features the level needs and the CPU lacks, in CPUID order */
  readonly missing: readonly CpuFeature[];
  readonly supported: boolean;
}

/** The protections a CPU can run, NOVA's Patch::detect (cet.md §7 step 1). */
export function cpuProtections(cpu: CpuModel): CfpProtections {
  return {
    ibt: IBT_FEATURES.every((feature) => cpu.features.includes(feature)),
    sss: SSS_FEATURES.every((feature) => cpu.features.includes(feature)),
  };
}

export function gateCfpLevel(level: CfpLevel, cpu: CpuModel): CfpGate {
  const built = protectionsOf(level);
  const able = cpuProtections(cpu);
  const needed = [...(built.sss ? SSS_FEATURES : []), ...(built.ibt ? IBT_FEATURES : [])];
  const missing = needed.filter((feature) => !cpu.features.includes(feature));
  return {
    level,
    built,
    live: { ibt: built.ibt && able.ibt, sss: built.sss && able.sss },
    missing,
    supported: missing.length === 0,
  };
}

/** The strongest level a CPU can run ("none" for a CPU without CET). */
export function bestCfpLevel(cpu: CpuModel): CfpLevel {
  return levelOf(cpuProtections(cpu));
}

/** "CET_IBT (CPUID.(7,0):EDX[20])" for each feature. */
export function describeFeatures(features: readonly CpuFeature[]): string {
  return features.map((feature) => `${feature} (${CET_FEATURE_SOURCE[feature] ?? "CPUID"})`).join(", ");
}

/** What the CPU does have of CET, for messages ("shadow stacks only: CET_SS"). */
export function describeCetSupport(cpu: CpuModel): string {
  const present = ["CET_SS", "CET_IBT", "CET_SSS"].filter((feature) => cpu.features.includes(feature as CpuFeature));
  return present.length === 0 ? "no CET features" : `CET features ${present.join(", ")}`;
}

/** The sentence every refusal uses: which feature is missing on which CPU model. */
export function unsupportedLevelMessage(gate: CfpGate, cpu: CpuModel): string {
  const wanted = [gate.built.ibt ? "IBT" : "", gate.built.sss ? "supervisor shadow stacks" : ""].filter((part) => part !== "").join(" and ");
  return `CFP=${gate.level} needs ${wanted}, but the ${cpu.vendor.toUpperCase()} CPU "${cpu.name}" lacks ${describeFeatures(gate.missing)} (it has ${describeCetSupport(cpu)})`;
}
