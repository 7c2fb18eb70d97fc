import type { AmdIommuDriver } from "@novakit/iommu-amd";
import type { DteSummary } from "./report-model.js";

/** Reads one device's DTE; undefined when no unit translates its segment. */
export type DteReader = (sbdf: number) => DteSummary | undefined;

/**
 * The device table entry of a PCI function as the AMD IOMMU reads it: the 256-bit entry at
 * device-table base + DeviceID × 32 in physical memory (reference/amd-iommu.md §3), decoded by
 * the plugin's own DTE codec. The driver is the one of this boot (createIommuAmdPlugin's
 * onDriver); its units name each segment's device table.
 */
export function amdDteReader(driver: AmdIommuDriver | undefined): DteReader {
  return (sbdf) => {
    const unit = driver?.units.find((candidate) => candidate.segment === sbdf >>> 16);
    if (unit === undefined) return undefined;
    const entry = unit.deviceTable.read(sbdf & 0xffff);
    return {
      valid: entry.valid,
      translationValid: entry.translationValid,
      mode: entry.mode,
      domainId: entry.domainId,
      pageTableRoot: entry.pageTableRoot,
      read: entry.readPermission,
      write: entry.writePermission,
    };
  };
}
