import type { BigEndianReader } from "./big-endian-reader.js";
import { BigEndianWriter } from "./big-endian-writer.js";
import { SESSION_CONTINUE, TpmRh } from "./tpm-constants.js";

/**
 * The authorization area with one empty password session (txt-tpm.md §10.5):
 * authorizationSize u32 (= 9), then TPMS_AUTH_COMMAND {sessionHandle u32 TPM_RS_PW 0x40000009,
 * nonce TPM2B (size 0), sessionAttributes u8 (0x00), hmac/password TPM2B (size 0)}.
 * Bytes: 00000009 40000009 0000 00 0000.
 */
export function encodeEmptyPasswordAuthorization(attributes = 0x00): Uint8Array {
  const session = new BigEndianWriter().u32(TpmRh.RS_PW).u16(0).u8(attributes).u16(0).toBytes();
  return new BigEndianWriter().u32(session.length).raw(session).toBytes();
}

/** One TPMS_AUTH_COMMAND as the embedded TPM reads it. */
export interface AuthCommand {
  readonly sessionHandle: number;
  readonly nonce: Uint8Array;
  readonly attributes: number;
  readonly password: Uint8Array;
}

export function readAuthCommand(reader: BigEndianReader, index: number): AuthCommand {
  const sessionHandle = reader.u32(`authorization[${index}].sessionHandle`);
  const nonce = reader.sized(`authorization[${index}].nonce`);
  const attributes = reader.u8(`authorization[${index}].sessionAttributes`);
  const password = reader.sized(`authorization[${index}].hmac`);
  return { sessionHandle, nonce, attributes, password };
}

/**
 * The response authorization for a password session: TPMS_AUTH_RESPONSE {nonce TPM2B (empty),
 * sessionAttributes u8, hmac TPM2B (empty)}. swtpm answers attributes 0x01 (continueSession)
 * although 0x00 was sent (§10.5, verified), and the embedded TPM does the same.
 */
export function encodePasswordAuthResponse(): Uint8Array {
  return new BigEndianWriter().u16(0).u8(SESSION_CONTINUE).u16(0).toBytes();
}

/** What a client reads back: the three fields, checked by the caller. */
export interface AuthResponse {
  readonly nonce: Uint8Array;
  readonly attributes: number;
  readonly hmac: Uint8Array;
}

export function readAuthResponse(reader: BigEndianReader): AuthResponse {
  const nonce = reader.sized("authResponse.nonce");
  const attributes = reader.u8("authResponse.sessionAttributes");
  const hmac = reader.sized("authResponse.hmac");
  return { nonce, attributes, hmac };
}
