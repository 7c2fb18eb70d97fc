import { NovakitError, type InputLocation } from "../errors/novakit-error.js";

/**
 * Stable diagnostic codes of the ACPI parsers and readers. A code is never reused for another
 * meaning; the README lists them for users.
 */
export const AcpiDiagnostic = {
  /** a field lies (partly) beyond the end of the table or of the bytes given */
  TRUNCATED: "NK-ACPI-001",
  /** SDT header length field below the 36-byte header size */
  LENGTH_TOO_SMALL: "NK-ACPI-002",
  /** SDT header length field larger than the bytes that were supplied */
  LENGTH_EXCEEDS_DATA: "NK-ACPI-003",
  /** the byte sum of the table is not 0 modulo 256 */
  CHECKSUM: "NK-ACPI-004",
  /** a parser was handed a table with another signature */
  WRONG_SIGNATURE: "NK-ACPI-005",
  /** RSDP does not start with "RSD PTR " */
  RSDP_SIGNATURE: "NK-ACPI-006",
  /** the RSDP's 20-byte (ACPI 1.0) checksum fails */
  RSDP_CHECKSUM: "NK-ACPI-007",
  /** the RSDP's extended checksum over `length` bytes fails */
  RSDP_EXTENDED_CHECKSUM: "NK-ACPI-008",
  /** RSDP revision >= 2 with a length field below 36 */
  RSDP_LENGTH: "NK-ACPI-009",
  /** RSDT/XSDT entry area is not a whole number of entries */
  ROOT_TABLE_ENTRIES: "NK-ACPI-010",
  /** MADT subtable with length 0 or shorter than its type requires */
  MADT_SUBTABLE_LENGTH: "NK-ACPI-011",
  /** MADT subtable that runs past the end of the table */
  MADT_SUBTABLE_OVERRUN: "NK-ACPI-012",
  /** MCFG allocation area is not a whole number of 16-byte entries */
  MCFG_ENTRIES: "NK-ACPI-013",
  /** MCFG entry with start bus greater than end bus */
  MCFG_BUS_RANGE: "NK-ACPI-014",
  /** acpidump text line that is neither a table heading nor a hex line */
  DUMP_SYNTAX: "NK-ACPI-015",
  /** acpidump hex line whose offset does not continue the previous line */
  DUMP_OFFSET: "NK-ACPI-016",
  /** a table's byte count differs from its own length field */
  DUMP_LENGTH_MISMATCH: "NK-ACPI-017",
  /** the signature in a table's bytes differs from the name it was filed under */
  SIGNATURE_MISMATCH: "NK-ACPI-018",
  /** file or folder cannot be read */
  UNREADABLE: "NK-ACPI-019",
  /** no ACPI table found in the input */
  NO_TABLES: "NK-ACPI-020",
  /** FACS length field invalid (below 64 or beyond the data) */
  FACS_LENGTH: "NK-ACPI-021",
  /** a table the platform needs (MADT) is missing */
  MISSING_TABLE: "NK-ACPI-022",
  /** the same unique table (FACP, APIC, MCFG, ...) appears twice */
  DUPLICATE_TABLE: "NK-ACPI-023",
  /** addresses manifest (addresses.json) of a table folder is malformed */
  ADDRESS_MANIFEST: "NK-ACPI-024",
} as const;
export type AcpiDiagnosticCode = (typeof AcpiDiagnostic)[keyof typeof AcpiDiagnostic];

export function acpiError(code: AcpiDiagnosticCode, message: string, location: InputLocation, hint?: string): NovakitError {
  return new NovakitError(code, message, location, hint);
}
