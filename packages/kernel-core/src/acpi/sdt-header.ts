import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { byteSum, hex, TableReader } from "./table-reader.js";

/** The 36-byte system description table header (platform.md §5.2). */
export interface SdtHeader {
  readonly signature: string;
  readonly length: number;
  readonly revision: number;
  readonly checksum: number;
  readonly oemId: string;
  readonly oemTableId: string;
  readonly oemRevision: number;
  readonly creatorId: string;
  readonly creatorRevision: number;
}

export const SDT_HEADER_LENGTH = 36;

export interface SdtParseOptions {
  /** file name for error locations */
  readonly file: string;
  /** when given, a table with another signature is rejected (NK-ACPI-005) */
  readonly expectedSignature?: string;
}

/**
 * Reads and validates the header: length >= 36, length <= bytes supplied, additive checksum over
 * `length` bytes (platform.md §5.2). Returns the header and a reader limited to `length`.
 */
export function parseSdtHeader(bytes: Uint8Array, options: SdtParseOptions): { header: SdtHeader; reader: TableReader } {
  const provisional = new TableReader(bytes, options.expectedSignature ?? "SDT", options.file);
  const signature = provisional.ascii(0, 4, "signature").padEnd(4, " ");
  const name = options.expectedSignature ?? signature;
  const reader = new TableReader(bytes, name, options.file);
  if (options.expectedSignature !== undefined && signature !== options.expectedSignature) {
    throw acpiError(
      AcpiDiagnostic.WRONG_SIGNATURE,
      `expected a ${options.expectedSignature} table but the signature is "${signature}"`,
      reader.location(0, "signature"),
    );
  }
  const length = reader.u32(4, "length");
  if (length < SDT_HEADER_LENGTH) {
    throw acpiError(
      AcpiDiagnostic.LENGTH_TOO_SMALL,
      `${signature}: length field ${length} is smaller than the 36-byte header`,
      reader.location(4, "length"),
    );
  }
  if (length > bytes.length) {
    throw acpiError(
      AcpiDiagnostic.LENGTH_EXCEEDS_DATA,
      `${signature}: length field says ${length} bytes but only ${bytes.length} are present`,
      reader.location(4, "length"),
      "the table was cut short when it was dumped or copied",
    );
  }
  const limited = reader.withLimit(length);
  const header: SdtHeader = {
    signature,
    length,
    revision: limited.u8(8, "revision"),
    checksum: limited.u8(9, "checksum"),
    oemId: limited.ascii(10, 6, "oemId"),
    oemTableId: limited.ascii(16, 8, "oemTableId"),
    oemRevision: limited.u32(24, "oemRevision"),
    creatorId: limited.ascii(28, 4, "creatorId"),
    creatorRevision: limited.u32(32, "creatorRevision"),
  };
  const sum = byteSum(bytes, 0, length);
  if (sum !== 0) {
    throw acpiError(
      AcpiDiagnostic.CHECKSUM,
      `${signature}: checksum fails (bytes sum to ${hex(sum, 2)} instead of 0 modulo 256)`,
      limited.location(9, "checksum"),
    );
  }
  return { header, reader: limited };
}
