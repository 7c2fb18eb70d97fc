import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { byteSum, hex, TableReader } from "./table-reader.js";

/** Root System Description Pointer (platform.md §5.1). */
export interface Rsdp {
  readonly oemId: string;
  /** 0 = ACPI 1.0 (20 bytes, RSDT only); 2 = ACPI 2.0+ */
  readonly revision: number;
  readonly rsdtAddress: bigint;
  /** ACPI 2.0+ only */
  readonly length?: number;
  readonly xsdtAddress?: bigint;
}

export const RSDP_SIGNATURE = "RSD PTR ";
export const RSDP_V1_LENGTH = 20;
export const RSDP_V2_LENGTH = 36;

/**
 * Validates the signature, the checksum of the first 20 bytes, and for revision >= 2 the extended
 * checksum over `length` bytes (as NOVA does: platform.md §5.1).
 */
export function parseRsdp(bytes: Uint8Array, file: string): Rsdp {
  const reader = new TableReader(bytes, RSDP_SIGNATURE, file);
  reader.require(0, RSDP_V1_LENGTH, "v1 structure");
  const signature = String.fromCharCode(...bytes.subarray(0, 8));
  if (signature !== RSDP_SIGNATURE) {
    throw acpiError(AcpiDiagnostic.RSDP_SIGNATURE, `RSDP signature is "${signature}", expected "RSD PTR "`, {
      file,
      offset: 0,
      field: "RSDP.signature",
    });
  }
  const v1Sum = byteSum(bytes, 0, RSDP_V1_LENGTH);
  if (v1Sum !== 0) {
    throw acpiError(
      AcpiDiagnostic.RSDP_CHECKSUM,
      `RSDP checksum over the first 20 bytes fails (sum ${hex(v1Sum, 2)})`,
      { file, offset: 8, field: "RSDP.checksum" },
    );
  }
  const oemId = reader.ascii(9, 6, "oemId");
  const revision = reader.u8(15, "revision");
  const rsdtAddress = BigInt(reader.u32(16, "rsdtAddress"));
  if (revision < 2) return { oemId, revision, rsdtAddress };

  const length = reader.u32(20, "length");
  if (length < RSDP_V2_LENGTH) {
    throw acpiError(AcpiDiagnostic.RSDP_LENGTH, `RSDP revision ${revision} has length ${length}, below 36`, {
      file,
      offset: 20,
      field: "RSDP.length",
    });
  }
  reader.require(0, length, "extended structure");
  const extendedSum = byteSum(bytes, 0, length);
  if (extendedSum !== 0) {
    throw acpiError(
      AcpiDiagnostic.RSDP_EXTENDED_CHECKSUM,
      `RSDP extended checksum over ${length} bytes fails (sum ${hex(extendedSum, 2)})`,
      { file, offset: 32, field: "RSDP.extendedChecksum" },
    );
  }
  return { oemId, revision, rsdtAddress, length, xsdtAddress: reader.u64(24, "xsdtAddress") };
}

/** The root table to follow: the XSDT when revision >= 2 and its address is non-zero (§5.2). */
export function rootTableOf(rsdp: Rsdp): { readonly signature: "XSDT" | "RSDT"; readonly address: bigint } {
  if (rsdp.revision >= 2 && rsdp.xsdtAddress !== undefined && rsdp.xsdtAddress !== 0n) {
    return { signature: "XSDT", address: rsdp.xsdtAddress };
  }
  return { signature: "RSDT", address: rsdp.rsdtAddress };
}
