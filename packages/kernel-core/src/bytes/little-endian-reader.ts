import type { NovakitError } from "../errors/novakit-error.js";

/**
 * Bounds-checked little-endian reads, the base of every binary firmware parser (ACPI tables,
 * IVRS, ...). Each read checks `has` first and throws the subclass's diagnostic for a read past
 * the readable bytes, so a malformed input yields a NovakitError naming the file, the offset and
 * the field, never a RangeError or a silently wrong value.
 */
export abstract class LittleEndianReader {
  protected readonly view: DataView;

  protected constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** whether the `size` bytes at `offset` may be read */
  abstract has(offset: number, size: number): boolean;

  /** the diagnostic for reading `field` (`size` bytes at `offset`) outside the readable bytes */
  protected abstract outOfBounds(offset: number, size: number, field: string): NovakitError;

  require(offset: number, size: number, field: string): void {
    if (!this.has(offset, size)) throw this.outOfBounds(offset, size, field);
  }

  u8(offset: number, field: string): number {
    this.require(offset, 1, field);
    return this.view.getUint8(offset);
  }

  u16(offset: number, field: string): number {
    this.require(offset, 2, field);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, field: string): number {
    this.require(offset, 4, field);
    return this.view.getUint32(offset, true);
  }

  u64(offset: number, field: string): bigint {
    this.require(offset, 8, field);
    return this.view.getBigUint64(offset, true);
  }
}
