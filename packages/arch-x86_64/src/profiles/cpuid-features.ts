import type { CpuFeature, CpuVendor } from "@novakit/kernel-core";
import type { X86CpuModel } from "./x86-cpu-model.js";

/** The CPUID output registers the kernel-gated features live in (bit positions: platform.ts CpuFeature, paging.md §2.1). */
export interface CpuidRegisters {
  /** CPUID.1:EAX family/model/stepping signature */
  readonly leaf1Eax: number;
  readonly leaf1Ecx: number;
  /** CPUID.(7,0) */
  readonly leaf7Ecx: number;
  readonly leaf7Edx: number;
  /** CPUID.(7,1):EDX */
  readonly leaf7Sub1Edx: number;
  /** CPUID.80000001h */
  readonly extended1Ecx: number;
  readonly extended1Edx: number;
  /** CPUID.80000008h:EAX: [7:0] physical, [15:8] linear address bits */
  readonly extended8Eax: number;
}

/** [feature, register, bit] */
const FEATURE_BITS: readonly (readonly [CpuFeature, keyof CpuidRegisters, number])[] = [
  ["VMX", "leaf1Ecx", 5],
  ["SMX", "leaf1Ecx", 6],
  ["PCID", "leaf1Ecx", 17],
  ["X2APIC", "leaf1Ecx", 21],
  ["TSC_DEADLINE", "leaf1Ecx", 24],
  ["CET_SS", "leaf7Ecx", 7],
  ["LA57", "leaf7Ecx", 16],
  ["CET_IBT", "leaf7Edx", 20],
  ["CET_SSS", "leaf7Sub1Edx", 18],
  ["SVM", "extended1Ecx", 2],
  ["NX", "extended1Edx", 20],
  ["PDPE1GB", "extended1Edx", 26],
];

export function featuresFromCpuid(registers: CpuidRegisters): CpuFeature[] {
  return FEATURE_BITS.filter(([, register, bit]) => ((registers[register] >>> bit) & 1) === 1).map(([feature]) => feature);
}

/** The CPUID register bits that encode a feature list (inverse of featuresFromCpuid for those bits). */
export function cpuidBitsOf(features: readonly CpuFeature[]): Pick<CpuidRegisters, "leaf1Ecx" | "leaf7Ecx" | "leaf7Edx" | "leaf7Sub1Edx" | "extended1Ecx" | "extended1Edx"> {
  const registers = { leaf1Ecx: 0, leaf7Ecx: 0, leaf7Edx: 0, leaf7Sub1Edx: 0, extended1Ecx: 0, extended1Edx: 0 };
  for (const [feature, register, bit] of FEATURE_BITS) {
    if (features.includes(feature) && register in registers) registers[register as keyof typeof registers] = (registers[register as keyof typeof registers] | (1 << bit)) >>> 0;
  }
  return registers;
}

/**
 * Display family/model/stepping from CPUID.1:EAX: stepping [3:0], model [7:4], family [11:8],
 * extended model [19:16], extended family [27:20]; the extended family adds to family 0xF, the
 * extended model extends the model for families 6 and 0xF.
 */
export function decodeCpuSignature(eax: number): { family: number; model: number; stepping: number } {
  const stepping = eax & 0xf;
  const baseModel = (eax >>> 4) & 0xf;
  const baseFamily = (eax >>> 8) & 0xf;
  const extendedModel = (eax >>> 16) & 0xf;
  const extendedFamily = (eax >>> 20) & 0xff;
  const family = baseFamily === 0xf ? baseFamily + extendedFamily : baseFamily;
  const model = baseFamily === 0x6 || baseFamily === 0xf ? (extendedModel << 4) + baseModel : baseModel;
  return { family, model, stepping };
}

/** A CPU model from raw CPUID registers (e.g. captured with `cpuid -r` on a real machine). */
export function cpuModelFromCpuid(vendor: Exclude<CpuVendor, "arm">, name: string, registers: CpuidRegisters): X86CpuModel {
  const features = featuresFromCpuid(registers);
  const linear = (registers.extended8Eax >>> 8) & 0xff;
  return {
    vendor,
    name,
    ...decodeCpuSignature(registers.leaf1Eax),
    features,
    physicalAddressBits: registers.extended8Eax & 0xff,
    virtualAddressBits: linear >= 57 && features.includes("LA57") ? 57 : 48,
  };
}

/**
 * Features from the `flags` line of Linux /proc/cpuinfo (Linux's names for the same CPUID bits:
 * vmx, smx, pcid, x2apic, tsc_deadline_timer, user_shstk (CET_SS), la57, ibt, svm, nx, pdpe1gb).
 * CET_SSS has no cpuinfo flag and is never reported from this source.
 */
export function featuresFromCpuinfoFlags(flags: string): CpuFeature[] {
  const names: ReadonlyMap<string, CpuFeature> = new Map([
    ["vmx", "VMX"],
    ["smx", "SMX"],
    ["pcid", "PCID"],
    ["x2apic", "X2APIC"],
    ["tsc_deadline_timer", "TSC_DEADLINE"],
    ["user_shstk", "CET_SS"],
    ["shstk", "CET_SS"],
    ["la57", "LA57"],
    ["ibt", "CET_IBT"],
    ["svm", "SVM"],
    ["nx", "NX"],
    ["pdpe1gb", "PDPE1GB"],
  ]);
  const found = new Set<CpuFeature>();
  for (const flag of flags.trim().split(/\s+/)) {
    const feature = names.get(flag);
    if (feature !== undefined) found.add(feature);
  }
  return FEATURE_BITS.map(([feature]) => feature).filter((feature) => found.has(feature));
}
