import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/**
 * Diagnostic codes of the AMD IOMMU driver (NK-IOMMU-3xx; 1xx are the tables' and IVRS's,
 * 2xx the hardware model's). Stable: a code is never reused for another meaning.
 */
export const IommuPluginDiagnostic = Object.freeze({
  /** the platform's firmware has no IVRS table, yet the plugin is enabled without nosmmu */
  NO_IVRS: "NK-IOMMU-301",
  /** the IVRS names no IVHD block: nothing to drive */
  NO_IVHD: "NK-IOMMU-302",
  /** kernel memory ran out for a device table, command queue, event log or doorbell (NOVA panics) */
  OUT_OF_KERNEL_MEMORY: "NK-IOMMU-303",
  /** a unit's init failed: Run bits did not follow Control, or its first invalidation timed out */
  INIT_FAILED: "NK-IOMMU-304",
  /** EFR.HATS = 11b (no host translation), or the MMIO EFR differs from the IVRS image (nova.md §4.4 step 4) */
  UNSUPPORTED_UNIT: "NK-IOMMU-305",
  /** (warning, `novakit check`) a domain's DMA-capable device will not be translated: nosmmu, or no unit on its segment */
  DMA_NOT_TRANSLATED: "NK-IOMMU-306",
} as const);

export type IommuPluginDiagnostic = (typeof IommuPluginDiagnostic)[keyof typeof IommuPluginDiagnostic];

export function iommuPluginError(code: IommuPluginDiagnostic, message: string, location: InputLocation, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
