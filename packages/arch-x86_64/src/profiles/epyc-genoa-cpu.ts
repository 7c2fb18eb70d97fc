import type { X86CpuModel } from "./x86-cpu-model.js";

/**
 * QEMU's `EPYC-Genoa` CPU model (target/i386/cpu.c, builtin_x86_defs, added in QEMU 8.1):
 * vendor AMD, family 25 (0x19), model 17 (0x11), stepping 0, model id "AMD EPYC-Genoa Processor".
 * Of the features the kernel gates on, its feature words contain:
 *   FEAT_1_ECX: CPUID_EXT_PCID                           -> PCID
 *   FEAT_8000_0001_EDX: CPUID_EXT2_NX, CPUID_EXT2_PDPE1GB -> NX, PDPE1GB
 *   FEAT_8000_0001_ECX: CPUID_EXT3_SVM                   -> SVM (FEAT_SVM adds NPT, NRIPSAVE, VNMI)
 *   FEAT_7_0_ECX: CPUID_7_0_ECX_LA57                     -> LA57
 * and NOT: CPUID_EXT_X2APIC (the model leaves x2APIC to the accelerator), CPUID_EXT_TSC_DEADLINE
 * (AMD has no TSC-deadline timer), CPUID_7_0_ECX_CET_SHSTK / CPUID_7_0_EDX_CET_IBT (the model
 * has no CET bits although Zen 4 silicon has shadow stacks), VMX, SMX. No PQoS bits (no qos).
 * Physical address bits: 40, QEMU's TCG default (TCG_PHYS_ADDR_BITS), which matches the
 * IVRS IVinfo PA size 40 of the fixture; virtual address bits 57 because LA57 is present.
 */
export const EPYC_GENOA_CPU: X86CpuModel = Object.freeze({
  vendor: "amd",
  name: "AMD EPYC-Genoa Processor",
  family: 25,
  model: 17,
  stepping: 0,
  features: Object.freeze(["SVM", "NX", "PDPE1GB", "LA57", "PCID"] as const),
  physicalAddressBits: 40,
  virtualAddressBits: 57,
});
