import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { TableReader } from "./table-reader.js";

/**
 * Firmware ACPI Control Structure. It has no SDT header and no checksum (ACPICA actbl.h
 * `struct acpi_table_facs`): signature at 0, length u32 at 4, hardware signature u32 at 8,
 * firmware waking vector u32 at 12, global lock u32 at 16, flags u32 at 20, X firmware waking
 * vector u64 at 24, version u8 at 32; at least 64 bytes.
 */
export interface Facs {
  readonly length: number;
  readonly hardwareSignature: number;
  readonly firmwareWakingVector: number;
  readonly flags: number;
  readonly xFirmwareWakingVector: bigint;
  readonly version: number;
}

export const FACS_MINIMUM_LENGTH = 64;

export function parseFacs(bytes: Uint8Array, file: string): Facs {
  const reader = new TableReader(bytes, "FACS", file);
  const signature = reader.ascii(0, 4, "signature");
  if (signature !== "FACS") {
    throw acpiError(AcpiDiagnostic.WRONG_SIGNATURE, `expected a FACS but the signature is "${signature}"`, reader.location(0, "signature"));
  }
  const length = reader.u32(4, "length");
  if (length < FACS_MINIMUM_LENGTH || length > bytes.length) {
    throw acpiError(
      AcpiDiagnostic.FACS_LENGTH,
      `FACS: length field ${length} is ${length < FACS_MINIMUM_LENGTH ? "below the 64-byte minimum" : `beyond the ${bytes.length} bytes present`}`,
      reader.location(4, "length"),
    );
  }
  const limited = reader.withLimit(length);
  return {
    length,
    hardwareSignature: limited.u32(8, "hardwareSignature"),
    firmwareWakingVector: limited.u32(12, "firmwareWakingVector"),
    flags: limited.u32(20, "flags"),
    xFirmwareWakingVector: limited.u64(24, "xFirmwareWakingVector"),
    version: limited.u8(32, "version"),
  };
}
