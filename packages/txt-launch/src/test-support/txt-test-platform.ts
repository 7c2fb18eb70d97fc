import { createTestPlatform, type Platform } from "@novakit/kernel-core";

/**
 * A TXT-capable test platform: the kernel-core test platform with an Intel Skylake-SP CPU
 * (family 6, model 0x55, stepping 4: what the synthetic ACM's processor list names) with VMX and
 * SMX, RAM kept below the default TXT DPR range (heap 0x1FD00000, SINIT 0x1FE00000), which the
 * memory map marks reserved.
 */
export function txtTestPlatform(overrides: { readonly features?: Platform["cpu"]["features"]; readonly model?: number } = {}): Platform {
  const base = createTestPlatform({ vendor: "intel", cpus: 2, ramMiB: 256, features: overrides.features ?? ["VMX", "SMX", "NX", "PDPE1GB", "X2APIC"] });
  return {
    ...base,
    name: "test-intel-txt",
    cpu: { ...base.cpu, name: "Novakit Test Xeon (SMX)", family: 6, model: overrides.model ?? 0x55, stepping: 4 },
    memory: [...base.memory, { base: 0x1fd0_0000n, size: 0x20_0000n, kind: "reserved" }],
  };
}

/** The AMD test platform of kernel-core (SVM, no SMX). */
export function skinitTestPlatform(): Platform {
  return createTestPlatform({ vendor: "amd", cpus: 2 });
}
