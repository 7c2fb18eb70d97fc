import { describe, expect, it } from "vitest";
import { cpuidBitsOf, cpuModelFromCpuid, decodeCpuSignature, featuresFromCpuid, featuresFromCpuinfoFlags } from "./cpuid-features.js";
import { EPYC_GENOA_CPU } from "./epyc-genoa-cpu.js";

describe("CPUID decoding", () => {
  it("decodes display family/model/stepping (AMD family 19h, Intel family 6)", () => {
    expect(decodeCpuSignature(0x00a10f11)).toEqual({ family: 0x19, model: 0x11, stepping: 1 });
    expect(decodeCpuSignature(0x000806ec)).toEqual({ family: 6, model: 0x8e, stepping: 0xc });
    expect(decodeCpuSignature(0x00000f12)).toEqual({ family: 0xf, model: 1, stepping: 2 });
  });

  it("maps the CPUID bits of the kernel-core feature list", () => {
    expect(featuresFromCpuid({ leaf1Eax: 0, leaf1Ecx: (1 << 17) | (1 << 21), leaf7Ecx: 1 << 7, leaf7Edx: 1 << 20, leaf7Sub1Edx: 1 << 18, extended1Ecx: 1 << 2, extended1Edx: 1 << 20, extended8Eax: 0 })).toEqual([
      "PCID",
      "X2APIC",
      "CET_SS",
      "CET_IBT",
      "CET_SSS",
      "SVM",
      "NX",
    ]);
  });

  it("rebuilds the EPYC-Genoa model from its CPUID bits", () => {
    const model = cpuModelFromCpuid("amd", EPYC_GENOA_CPU.name, { leaf1Eax: 0x00a10f10, ...cpuidBitsOf(EPYC_GENOA_CPU.features), extended8Eax: 0x3928 });
    expect(model).toEqual({ ...EPYC_GENOA_CPU, features: [...model.features] });
    expect([...model.features].sort()).toEqual([...EPYC_GENOA_CPU.features].sort());
  });

  it("reads Linux /proc/cpuinfo flags", () => {
    expect(featuresFromCpuinfoFlags("fpu vme svm nx pdpe1gb x2apic pcid la57 user_shstk")).toEqual(["PCID", "X2APIC", "CET_SS", "LA57", "SVM", "NX", "PDPE1GB"]);
    expect(featuresFromCpuinfoFlags("vmx smx ibt tsc_deadline_timer")).toEqual(["VMX", "SMX", "TSC_DEADLINE", "CET_IBT"]);
  });
});
