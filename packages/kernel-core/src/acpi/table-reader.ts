import { LittleEndianReader } from "../bytes/little-endian-reader.js";
import type { NovakitError } from "../errors/novakit-error.js";
import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";

/**
 * Bounds-checked little-endian reads from one ACPI table (platform.md §5: all ACPI values are
 * little-endian). Every read checks the table limit first, so a malformed table yields a
 * NovakitError naming the table, the byte offset and the field instead of a RangeError or a
 * silently wrong value.
 */
export class TableReader extends LittleEndianReader {
  constructor(
    bytes: Uint8Array,
    /** table signature used in error messages ("APIC", "RSD PTR ") */
    readonly signature: string,
    /** file (or "profile X") the table came from */
    readonly file: string,
    /** readable bytes: the table's own length field once it is known */
    readonly limit: number = bytes.length,
  ) {
    super(bytes);
  }

  /** a reader restricted to the first `limit` bytes (the table's length field) */
  withLimit(limit: number): TableReader {
    return new TableReader(this.bytes, this.signature, this.file, Math.min(limit, this.bytes.length));
  }

  override has(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.limit;
  }

  protected override outOfBounds(offset: number, size: number, field: string): NovakitError {
    return acpiError(
      AcpiDiagnostic.TRUNCATED,
      `${this.signature.trim()}: field ${field} (${size} byte(s) at offset ${offset}) lies beyond the end of the table (${this.limit} bytes)`,
      { file: this.file, offset, field: `${this.signature.trim()}.${field}` },
    );
  }

  /** fixed-width ASCII field; NUL padding is kept out, other bytes are kept as they are */
  ascii(offset: number, length: number, field: string): string {
    this.require(offset, length, field);
    let text = "";
    for (let i = 0; i < length; i++) {
      const code = this.view.getUint8(offset + i);
      if (code === 0) continue;
      text += String.fromCharCode(code);
    }
    return text;
  }

  /** location helper for errors raised by table parsers */
  location(offset: number, field: string): { file: string; offset: number; field: string } {
    return { file: this.file, offset, field: `${this.signature.trim()}.${field}` };
  }
}

/** The additive checksum rule of platform.md §5.2: the sum of all bytes is 0 modulo 256. */
export function byteSum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
  return sum;
}

export function hex(value: number | bigint, width = 0): string {
  return `0x${value.toString(16).toUpperCase().padStart(width, "0")}`;
}
