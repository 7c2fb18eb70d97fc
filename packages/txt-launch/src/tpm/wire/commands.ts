import { NovakitError } from "@novakit/kernel-core";
import { DIGEST_SIZE, TPM_ALG_ID, type HashAlgorithm, type StartupType } from "../tpm.js";
import { hashAlgorithmFromId } from "../hash-algorithm.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { BigEndianReader } from "./big-endian-reader.js";
import { BigEndianWriter } from "./big-endian-writer.js";
import { writeDigestValues } from "./digest-values.js";
import { encodeCommand, type TpmResponse } from "./framing.js";
import { encodeEmptyPasswordAuthorization, readAuthResponse } from "./password-session.js";
import { readPcrSelectionList, writePcrSelectionList, type PcrSelection } from "./pcr-selection.js";
import { HEADER_SIZE, SESSION_CONTINUE, TpmCap, TpmCc, TpmSt, TpmSu } from "./tpm-constants.js";

/**
 * The client side of the commands Novakit sends (txt-tpm.md §10.4-10.8): each `encode*` builds
 * the exact command bytes, each `decode*` checks a success response field by field and consumes
 * it completely, so a response of the wrong shape is NK-TPM-001 rather than a wrong value.
 */

/** A reader over a response positioned after the 10-byte header, so error offsets are absolute. */
function responseReader(response: TpmResponse, source: string): BigEndianReader {
  const reader = new BigEndianReader(response.bytes, source);
  reader.raw(HEADER_SIZE, "header");
  return reader;
}

/** TPM2_Startup (§10.4): `80 01 00 00 00 0c 00 00 01 44 00 00` for CLEAR. */
export function encodeStartup(type: StartupType = "clear"): Uint8Array {
  const body = new BigEndianWriter().u16(type === "clear" ? TpmSu.CLEAR : TpmSu.STATE).toBytes();
  return encodeCommand(TpmSt.NO_SESSIONS, TpmCc.Startup, body);
}

/** TPM2_PCR_Extend (§10.5): pcrHandle, empty password session, TPML_DIGEST_VALUES. */
export function encodePcrExtend(pcr: number, digests: ReadonlyMap<HashAlgorithm, Uint8Array>): Uint8Array {
  const writer = new BigEndianWriter().u32(pcr).raw(encodeEmptyPasswordAuthorization());
  writeDigestValues(writer, digests);
  return encodeCommand(TpmSt.SESSIONS, TpmCc.PCR_Extend, writer.toBytes());
}

/** TPM2_PCR_Reset (§10.5): pcrHandle and the empty password session, no parameters. */
export function encodePcrReset(pcr: number): Uint8Array {
  const body = new BigEndianWriter().u32(pcr).raw(encodeEmptyPasswordAuthorization()).toBytes();
  return encodeCommand(TpmSt.SESSIONS, TpmCc.PCR_Reset, body);
}

/**
 * The response of a command with one password session and no response parameters (PCR_Extend,
 * PCR_Reset): parameterSize u32 = 0, then TPMS_AUTH_RESPONSE (§10.5:
 * `80 02 00 00 00 13 00 00 00 00 | 00 00 00 00 | 00 00 | 01 | 00 00`).
 */
export function decodeSessionOnlyResponse(response: TpmResponse, source: string): void {
  const reader = responseReader(response, source);
  if (response.tag !== TpmSt.SESSIONS) throw reader.error(`tag 0x${response.tag.toString(16)} where TPM_ST_SESSIONS was expected`, "tag", 0);
  const parameterSize = reader.u32("parameterSize");
  if (parameterSize !== 0) throw reader.error(`parameterSize ${parameterSize} where the command has no response parameters`, "parameterSize", 10);
  const auth = readAuthResponse(reader);
  if (auth.nonce.length !== 0 || auth.hmac.length !== 0 || (auth.attributes & ~SESSION_CONTINUE) !== 0) {
    throw reader.error("password session response must have an empty nonce and hmac", "authResponse");
  }
  reader.expectEnd("the authorization response");
}

/** TPM2_PCR_Read (§10.6): sha256 PCR 17 is `8001 00000014 0000017e 00000001 000b 03 000002`. */
export function encodePcrRead(selections: readonly PcrSelection[]): Uint8Array {
  const writer = new BigEndianWriter();
  writePcrSelectionList(writer, selections);
  return encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Read, writer.toBytes());
}

export interface PcrReadResult {
  readonly updateCounter: number;
  /** which PCRs of which bank the values are, in order */
  readonly selections: readonly PcrSelection[];
  /** one digest per selected PCR: banks in order, PCRs ascending in each */
  readonly values: readonly { readonly bank: HashAlgorithm; readonly pcr: number; readonly digest: Uint8Array }[];
}

/** pcrUpdateCounter u32, pcrSelectionOut TPML_PCR_SELECTION, pcrValues TPML_DIGEST (§10.6). */
export function decodePcrReadResponse(response: TpmResponse, source: string): PcrReadResult {
  const reader = responseReader(response, source);
  const updateCounter = reader.u32("pcrUpdateCounter");
  const selections = readPcrSelectionList(reader, "pcrSelectionOut");
  const expected: { bank: HashAlgorithm; pcr: number }[] = [];
  for (const selection of selections) {
    const bank = hashAlgorithmFromId(selection.algorithmId);
    if (bank === undefined) {
      if (selection.pcrs.length === 0) continue;
      throw reader.error(`pcrSelectionOut names algorithm 0x${selection.algorithmId.toString(16)}, which was not requested`, "pcrSelectionOut");
    }
    for (const pcr of selection.pcrs) expected.push({ bank, pcr });
  }
  const countOffset = reader.offset;
  const count = reader.u32("pcrValues.count");
  if (count !== expected.length) {
    throw reader.error(`pcrValues.count ${count} does not match the ${expected.length} PCR(s) in pcrSelectionOut`, "pcrValues.count", countOffset);
  }
  const values = expected.map(({ bank, pcr }, index) => {
    const field = `pcrValues.digests[${index}]`;
    const digest = reader.sized(field);
    if (digest.length !== DIGEST_SIZE[bank]) throw reader.error(`${bank} PCR ${pcr} value is ${digest.length} bytes, not ${DIGEST_SIZE[bank]}`, field);
    return { bank, pcr, digest };
  });
  reader.expectEnd("pcrValues");
  return { updateCounter, selections, values };
}

/** TPM2_GetCapability (§10.7): capability u32, property u32, propertyCount u32. */
export function encodeGetCapability(capability: number, property: number, propertyCount: number): Uint8Array {
  const body = new BigEndianWriter().u32(capability).u32(property).u32(propertyCount).toBytes();
  return encodeCommand(TpmSt.NO_SESSIONS, TpmCc.GetCapability, body);
}

/** TPM2_GetCapability(TPM_CAP_PCRS, 0, 1) → the PCR allocation (§10.7). */
export function encodeGetPcrAllocation(): Uint8Array {
  return encodeGetCapability(TpmCap.PCRS, 0, 1);
}

/** moreData u8, capability u32 = TPM_CAP_PCRS, TPML_PCR_SELECTION. */
export function decodePcrAllocation(response: TpmResponse, source: string): PcrSelection[] {
  const reader = responseReader(response, source);
  const moreData = reader.u8("moreData");
  if (moreData > 1) throw reader.error(`moreData ${moreData} is not a TPMI_YES_NO`, "moreData", 10);
  const capability = reader.u32("capability");
  if (capability !== TpmCap.PCRS) throw reader.error(`capability ${capability} where TPM_CAP_PCRS (5) was asked for`, "capability", 11);
  const selections = readPcrSelectionList(reader, "assignedPCR");
  reader.expectEnd("assignedPCR");
  return selections;
}

/** TPM2_GetRandom (§10.8): `80 01 00 00 00 0c 00 00 01 7b 00 10` for 16 bytes. */
export function encodeGetRandom(bytesRequested: number): Uint8Array {
  return encodeCommand(TpmSt.NO_SESSIONS, TpmCc.GetRandom, new BigEndianWriter().u16(bytesRequested).toBytes());
}

/** randomBytes TPM2B_DIGEST; never more than asked for, never empty when something was asked. */
export function decodeGetRandom(response: TpmResponse, bytesRequested: number, source: string): Uint8Array {
  const reader = responseReader(response, source);
  const bytes = reader.sized("randomBytes");
  reader.expectEnd("randomBytes");
  if (bytes.length > bytesRequested || (bytesRequested > 0 && bytes.length === 0)) {
    throw new NovakitError(
      TpmDiagnostic.MALFORMED_RESPONSE,
      `GetRandom answered ${bytes.length} byte(s) for a request of ${bytesRequested}`,
      { file: source, offset: 10, field: "randomBytes.size" },
    );
  }
  return bytes;
}

/** The selection list for `pcrs` in each of `banks`. */
export function selectionFor(banks: readonly HashAlgorithm[], pcrs: readonly number[]): PcrSelection[] {
  return banks.map((bank) => ({ algorithmId: TPM_ALG_ID[bank], pcrs: [...pcrs].sort((a, b) => a - b) }));
}
