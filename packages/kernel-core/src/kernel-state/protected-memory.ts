import type { ProtectedRange } from "../objects/nova-host-space.js";
import type { Platform } from "../platform/platform.js";

/** x86 MSI address window 0xFEE00000..0xFEEFFFFF (Intel SDM Vol. 3A §11.11.1), §1.5 "MSI range". */
export const X86_MSI_RANGE: ProtectedRange = Object.freeze({ base: 0xfee00000n, size: 0x100000n, reason: "MSI range" });

/**
 * MMIO sizes NOVA keeps for itself per device kind. The register windows are: LAPIC and IOAPIC
 * one page, VT-d one page, AMD-Vi 512 KiB (MMIO incl. the counter block), SMMUv2/v3 and GIC
 * blocks 64 KiB multiples; the larger figure is taken where a family varies, because protecting
 * too little would let the root map a register page.
 */
const IOMMU_MMIO_BYTES: Readonly<Record<string, bigint>> = {
  "amd-vi": 0x80000n,
  "intel-vt-d": 0x1000n,
  "arm-smmu-v2": 0x10000n,
  "arm-smmu-v3": 0x20000n,
};
const INTERRUPT_CONTROLLER_MMIO_BYTES: Readonly<Record<string, bigint>> = {
  lapic: 0x1000n,
  ioapic: 0x1000n,
  gicv2: 0x10000n,
  gicv3: 0x10000n,
  "gic-its": 0x20000n,
};
/** TPM localities are 4 KiB apart; NOVA leaves localities 0 and 1 to the root (§1.5). */
const TPM_LOCALITY_BYTES = 0x1000n;

/**
 * Memory that is null in the NOVA host space (reference/nova.md §1.5): the kernel image, the
 * MMIO of LAPIC/IOAPIC/IOMMUs (GIC/SMMU on Arm), TPM localities 2-4, the MSI page on x86, plus
 * whatever the caller adds (DPR, TXT, firmware runtime services).
 */
export function protectedMemory(platform: Platform, kernelImage: { base: bigint; size: bigint } | undefined, extra: readonly ProtectedRange[]): ProtectedRange[] {
  const ranges: ProtectedRange[] = [];
  if (kernelImage !== undefined) ranges.push({ ...kernelImage, reason: "kernel image" });
  for (const region of platform.memory) {
    if (region.kind === "kernel") ranges.push({ base: region.base, size: region.size, reason: "kernel image" });
  }
  for (const iommu of platform.iommus) {
    ranges.push({ base: iommu.baseAddress, size: IOMMU_MMIO_BYTES[iommu.kind] ?? 0x1000n, reason: `${iommu.kind} MMIO` });
  }
  for (const controller of platform.interruptControllers) {
    ranges.push({ base: controller.baseAddress, size: INTERRUPT_CONTROLLER_MMIO_BYTES[controller.kind] ?? 0x1000n, reason: `${controller.kind} MMIO` });
  }
  if (platform.tpm !== undefined) {
    ranges.push({ base: platform.tpm.baseAddress + 2n * TPM_LOCALITY_BYTES, size: 3n * TPM_LOCALITY_BYTES, reason: "TPM localities 2-4" });
  }
  if (platform.arch === "x86_64") ranges.push(X86_MSI_RANGE);
  ranges.push(...extra);
  return ranges;
}
