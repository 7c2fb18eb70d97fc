import { LittleEndianReader, type NovakitError } from "@novakit/kernel-core";
import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";

/**
 * Bounds-checked little-endian reads inside one region of an IVRS table (the table, a block, or a
 * device entry). Every read checks the region end first, so a malformed table yields NK-IVRS-001
 * naming the file, the absolute byte offset and the field, never a RangeError or a guessed value.
 */
export class IvrsReader extends LittleEndianReader {
  constructor(
    bytes: Uint8Array,
    readonly file: string,
    /** absolute offset of the first byte of the region */
    readonly start: number,
    /** absolute offset one past the last byte of the region */
    readonly end: number,
    /** what the region is, for messages: "IVRS", "IVHD 11h at 0x78" */
    readonly what: string,
  ) {
    super(bytes);
  }

  /** a reader for a sub-region [start, end) of this one (clamped: reads past it still fail) */
  region(start: number, end: number, what: string): IvrsReader {
    return new IvrsReader(this.bytes, this.file, start, Math.min(end, this.end), what);
  }

  override has(offset: number, size: number): boolean {
    return offset >= this.start && size >= 0 && offset + size <= this.end && offset + size <= this.bytes.length;
  }

  protected override outOfBounds(offset: number, size: number, field: string): NovakitError {
    return ivrsError(
      IvrsDiagnostic.TRUNCATED,
      `${this.what}: field ${field} (${size} byte(s) at offset 0x${offset.toString(16)}) lies beyond its end at 0x${this.end.toString(16)}`,
      { file: this.file, offset, field: `IVRS.${field}` },
    );
  }

  /**
   * A fixed-width text field (OEM ids) as 8-bit characters with only the trailing NUL padding
   * removed: an interior NUL or a byte above 7Fh is kept, so the encoder writes the same bytes.
   */
  text(offset: number, width: number, field: string): string {
    this.require(offset, width, field);
    let end = offset + width;
    while (end > offset && this.bytes[end - 1] === 0) end--;
    let text = "";
    for (let i = offset; i < end; i++) text += String.fromCharCode(this.bytes[i] ?? 0);
    return text;
  }

  /** a copy of `size` raw bytes */
  slice(offset: number, size: number, field: string): Uint8Array {
    this.require(offset, size, field);
    return this.bytes.slice(offset, offset + size);
  }
}
