import { fileURLToPath } from "node:url";
import { createTestPlatform, type CpuFeature, type Platform } from "@novakit/kernel-core";

/** Profile JSON files for the real x86_64 arch plugin (fixtures/). */
export const TIGER_LAKE_PROFILE = fileURLToPath(new URL("../../fixtures/intel-tiger-lake-cet.profile.json", import.meta.url));
export const CET_SSS_PROFILE = fileURLToPath(new URL("../../fixtures/intel-cet-sss-test.profile.json", import.meta.url));

/** Synthetic platforms for the gating matrix: an Intel CPU with every CET bit, and AMD ones. */
export function cetPlatform(vendor: "intel" | "amd", features: readonly CpuFeature[], name: string): Platform {
  const base = createTestPlatform({ vendor, features: ["NX", "PDPE1GB", vendor === "intel" ? "VMX" : "SVM", ...features], name: `test-${name}` });
  return { ...base, cpu: { ...base.cpu, name } };
}
