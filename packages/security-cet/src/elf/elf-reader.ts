import { LittleEndianReader, type NovakitError } from "@novakit/kernel-core";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";

/**
 * Bounds-checked little-endian reads over a whole ELF file. Every read checks the file end first,
 * so a truncated or malformed file yields NK-ELF-001 naming the file, the offset and the field,
 * never a RangeError. 64-bit file offsets are turned into numbers only after they are known to
 * lie inside the file.
 */
export class ElfReader extends LittleEndianReader {
  private readonly decoder = new TextDecoder("utf-8");

  constructor(
    bytes: Uint8Array,
    readonly file: string,
  ) {
    super(bytes);
  }

  override has(offset: number, size: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(size) && offset >= 0 && size >= 0 && offset + size <= this.bytes.length;
  }

  protected override outOfBounds(offset: number, size: number, field: string): NovakitError {
    return elfError(
      ElfDiagnostic.TRUNCATED,
      `${field} (${size} byte(s) at offset 0x${offset.toString(16)}) lies beyond the end of the file (${this.bytes.length} bytes)`,
      { file: this.file, offset, field },
      "the file is truncated or an offset in it is corrupt",
    );
  }

  /**
   * The file as a DataView, for tight loops over table entries whose whole extent was checked
   * with `require` first (per-field checks there cost more than the parse itself).
   */
  get data(): DataView {
    return this.view;
  }

  /** u64 read as a number, for sizes and offsets that must be small enough to index the file */
  i64AsNumber(offset: number, field: string): number | undefined {
    const value = this.u64(offset, field);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }

  i64(offset: number, field: string): bigint {
    this.require(offset, 8, field);
    return this.view.getBigInt64(offset, true);
  }

  /** a view (not a copy) of `size` bytes */
  slice(offset: number, size: number, field: string): Uint8Array {
    this.require(offset, size, field);
    return this.bytes.subarray(offset, offset + size);
  }

  /** UTF-8 text of [start, end) (names in ELF are byte strings; UTF-8 shows them as tools do) */
  text(start: number, end: number): string {
    // symbol names are nearly always ASCII: build those directly, TextDecoder only for the rest
    let ascii = "";
    for (let at = start; at < end; at++) {
      const byte = this.bytes[at] ?? 0;
      if (byte >= 0x80) return this.decoder.decode(this.bytes.subarray(start, end));
      ascii += String.fromCharCode(byte);
    }
    return ascii;
  }
}
