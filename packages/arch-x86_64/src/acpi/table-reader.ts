/** The bounds-checked ACPI table reader lives in kernel-core (shared with the IOMMU plugin's IVRS parser). */
export { AcpiTableReader as TableReader, acpiByteSum as byteSum, acpiHex as hex } from "@novakit/kernel-core";
