import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { BigEndianReader } from "./big-endian-reader.js";
import { BigEndianWriter } from "./big-endian-writer.js";
import { HEADER_SIZE, MAX_MESSAGE_SIZE, TpmSt } from "./tpm-constants.js";
import { TPM_RC_SUCCESS } from "./response-code.js";

/**
 * Command and response framing (txt-tpm.md §10.1): tag u16, size u32 (the whole message,
 * header included), then the command code or the response code, big-endian.
 */
export interface TpmResponse {
  readonly tag: number;
  readonly responseCode: number;
  /** everything after the 10-byte header */
  readonly body: Uint8Array;
  /** the whole response as received */
  readonly bytes: Uint8Array;
}

/** A command: header + `body` (handles, authorization area, parameters, already encoded). */
export function encodeCommand(tag: number, commandCode: number, body: Uint8Array): Uint8Array {
  return new BigEndianWriter().u16(tag).u32(HEADER_SIZE + body.length).u32(commandCode).raw(body).toBytes();
}

/**
 * The size a response announces in its header, checked for sanity (used by the TCP client to
 * know how many bytes to wait for). Throws NK-TPM-002 for a size below the header or above
 * MAX_MESSAGE_SIZE, and NK-TPM-001 for a tag that is not a TPM 2.0 response tag.
 */
export function announcedResponseSize(header: Uint8Array, source: string): number {
  const reader = new BigEndianReader(header, source);
  const tag = reader.u16("tag");
  if (tag !== TpmSt.NO_SESSIONS && tag !== TpmSt.SESSIONS) {
    throw new NovakitError(
      TpmDiagnostic.MALFORMED_RESPONSE,
      `response tag 0x${tag.toString(16).padStart(4, "0")} is not TPM_ST_NO_SESSIONS (0x8001) or TPM_ST_SESSIONS (0x8002): not a TPM 2.0 answer`,
      { file: source, offset: 0, field: "tag" },
    );
  }
  const size = reader.u32("responseSize");
  if (size < HEADER_SIZE || size > MAX_MESSAGE_SIZE) {
    throw new NovakitError(
      TpmDiagnostic.BAD_RESPONSE_SIZE,
      `response size field ${size} is outside ${HEADER_SIZE}..${MAX_MESSAGE_SIZE}`,
      { file: source, offset: 2, field: "responseSize" },
    );
  }
  return size;
}

/**
 * A complete response, checked: a valid tag, a size field equal to the bytes received, and an
 * error response exactly 10 bytes with tag TPM_ST_NO_SESSIONS (§10.1, verified on swtpm).
 */
export function decodeResponse(bytes: Uint8Array, source: string): TpmResponse {
  if (bytes.length < HEADER_SIZE) {
    throw new NovakitError(
      TpmDiagnostic.MALFORMED_RESPONSE,
      `response of ${bytes.length} byte(s) is shorter than the ${HEADER_SIZE}-byte header`,
      { file: source, offset: bytes.length, field: "header" },
    );
  }
  const size = announcedResponseSize(bytes, source);
  if (size !== bytes.length) {
    throw new NovakitError(
      TpmDiagnostic.BAD_RESPONSE_SIZE,
      `response size field says ${size} byte(s) but ${bytes.length} arrived`,
      { file: source, offset: 2, field: "responseSize" },
    );
  }
  const reader = new BigEndianReader(bytes, source);
  const tag = reader.u16("tag");
  reader.u32("responseSize");
  const responseCode = reader.u32("responseCode");
  if (responseCode !== TPM_RC_SUCCESS && (size !== HEADER_SIZE || tag !== TpmSt.NO_SESSIONS)) {
    throw new NovakitError(
      TpmDiagnostic.MALFORMED_RESPONSE,
      `error response 0x${responseCode.toString(16)} must be a bare 10-byte header with tag 0x8001 (got ${size} bytes, tag 0x${tag.toString(16)})`,
      { file: source, offset: 0, field: "header" },
    );
  }
  return { tag, responseCode, body: bytes.slice(HEADER_SIZE), bytes };
}

/** The header fields of a command (the embedded TPM's view of its input). */
export interface CommandHeader {
  readonly tag: number;
  readonly commandSize: number;
  readonly commandCode: number;
}

/** An error response: 10 bytes, tag TPM_ST_NO_SESSIONS (§10.1). */
export function encodeErrorResponse(responseCode: number): Uint8Array {
  return new BigEndianWriter().u16(TpmSt.NO_SESSIONS).u32(HEADER_SIZE).u32(responseCode).toBytes();
}

/** A success response with `tag` and `body`. */
export function encodeSuccessResponse(tag: number, body: Uint8Array): Uint8Array {
  return new BigEndianWriter().u16(tag).u32(HEADER_SIZE + body.length).u32(TPM_RC_SUCCESS).raw(body).toBytes();
}
