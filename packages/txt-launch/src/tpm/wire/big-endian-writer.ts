import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";

/**
 * Builds TPM 2.0 byte strings. TPM structures are big-endian (txt-tpm.md "Byte order"); values
 * are range-checked so a caller bug cannot silently wrap into a different command.
 */
export class BigEndianWriter {
  private readonly bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  u8(value: number): this {
    this.check(value, 0xff, "u8");
    this.bytes.push(value);
    return this;
  }

  u16(value: number): this {
    this.check(value, 0xffff, "u16");
    this.bytes.push(value >>> 8, value & 0xff);
    return this;
  }

  u32(value: number): this {
    this.check(value, 0xffffffff, "u32");
    this.bytes.push(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  raw(data: Uint8Array): this {
    for (const byte of data) this.bytes.push(byte);
    return this;
  }

  /** TPM2B_*: u16 size then the bytes */
  sized(data: Uint8Array): this {
    this.u16(data.length);
    return this.raw(data);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private check(value: number, max: number, kind: string): void {
    // the Tpm methods validate their arguments first; this catches direct encode* callers
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `${value} does not fit a TPM ${kind} field`, { field: kind });
    }
  }
}
