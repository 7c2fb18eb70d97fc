import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";

/**
 * Sequential, bounds-checked reads of a TPM 2.0 byte string (big-endian, txt-tpm.md "Byte
 * order"). A read past the end throws the reader's diagnostic naming the field and the offset,
 * so a truncated or garbled response is a NovakitError, never a RangeError or a wrong value.
 */
export class BigEndianReader {
  private position = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** what is being read, e.g. "TPM2_PCR_Read response" (the error's file) */
    private readonly source: string,
    /** the code for a read past the end: a response is malformed, a command is the caller's */
    private readonly code: string = TpmDiagnostic.MALFORMED_RESPONSE,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  u8(field: string): number {
    this.need(1, field);
    const value = this.view.getUint8(this.position);
    this.position += 1;
    return value;
  }

  u16(field: string): number {
    this.need(2, field);
    const value = this.view.getUint16(this.position, false);
    this.position += 2;
    return value;
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.position, false);
    this.position += 4;
    return value;
  }

  raw(length: number, field: string): Uint8Array {
    this.need(length, field);
    const value = this.bytes.slice(this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** TPM2B_*: u16 size then that many bytes */
  sized(field: string): Uint8Array {
    const length = this.u16(`${field}.size`);
    return this.raw(length, `${field}.buffer`);
  }

  /** Every byte must have been consumed: trailing bytes mean the layout was not what we think. */
  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw this.error(`${this.remaining} unexpected trailing byte(s) after ${what}`, what);
    }
  }

  error(message: string, field: string, offset = this.position): NovakitError {
    return new NovakitError(this.code, message, { file: this.source, offset, field });
  }

  private need(length: number, field: string): void {
    if (this.remaining < length) {
      throw this.error(`truncated: ${field} needs ${length} byte(s), only ${this.remaining} left`, field);
    }
  }
}
