/**
 * The ACPI diagnostic codes live in kernel-core, next to the SDT header reader every x86 plugin
 * shares (this one, the IOMMU plugin's IVRS parser); re-exported here for this package's parsers.
 */
export { AcpiDiagnostic, acpiError, type AcpiDiagnosticCode } from "@novakit/kernel-core";
