import type { Platform } from "@novakit/kernel-core";
import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { AcpiTableSet } from "./acpi-table-set.js";

/** Rebuild (and re-validate) the ACPI table set of a platform, e.g. for an IOMMU plugin parsing IVRS. */
export function acpiTablesOf(platform: Platform): AcpiTableSet {
  if (platform.firmware.kind !== "acpi") {
    throw acpiError(AcpiDiagnostic.MISSING_TABLE, `platform ${platform.name} has no ACPI tables (firmware kind ${platform.firmware.kind})`, {
      field: "platform.firmware.kind",
    });
  }
  return AcpiTableSet.fromFirmwareTables(platform.firmware.tables, `platform ${platform.name}`);
}
