import { describe, expect, it } from "vitest";
import { DIGEST_SIZE, TPM_ALG_ID } from "../tpm.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { expectNovakitError } from "../test-support/expect-novakit-error.js";
import { counting, hex, toHex } from "../test-support/hex.js";
import {
  decodeGetRandom,
  decodePcrAllocation,
  decodePcrReadResponse,
  decodeSessionOnlyResponse,
  encodeGetPcrAllocation,
  encodeGetRandom,
  encodePcrExtend,
  encodePcrRead,
  encodePcrReset,
  encodeStartup,
} from "./commands.js";
import { decodeResponse, encodeErrorResponse } from "./framing.js";
import { encodeEmptyPasswordAuthorization } from "./password-session.js";
import { decodePcrBitmap, encodePcrBitmap } from "./pcr-selection.js";
import { TpmRc, decodeResponseCode, describeResponseCode, handleError, parameterError, sessionError } from "./response-code.js";

// Every byte string below is quoted from txt-tpm.md §10 or swtpm-recipe.md §5 (verified on swtpm).
const SOURCE = "test response";

/** A success response with tag 0x8001 around `body`, its size field computed. */
function success(body: string): Uint8Array {
  const bytes = hex(body);
  return hex(`8001 ${(10 + bytes.length).toString(16).padStart(8, "0")} 00000000 ${body}`);
}

describe("command encoding (txt-tpm.md §10)", () => {
  it("TPM2_Startup(CLEAR) is 80 01 00 00 00 0c 00 00 01 44 00 00 (§10.4)", () => {
    expect(toHex(encodeStartup("clear"))).toBe("80010000000c000001440000");
    expect(toHex(encodeStartup("state"))).toBe("80010000000c000001440001");
  });

  it("TPM2_GetRandom(16) is 80 01 00 00 00 0c 00 00 01 7b 00 10 (§10.8)", () => {
    expect(toHex(encodeGetRandom(16))).toBe("80010000000c0000017b0010");
  });

  it("TPM2_PCR_Extend of PCR 23, SHA-256 00..1f with an empty password session (§10.5)", () => {
    const expected = hex("80020000004100000182 00000017 00000009 40000009 0000 00 0000 00000001 000b");
    const command = encodePcrExtend(23, new Map([["sha256", counting(32)]]));
    expect(toHex(command)).toBe(toHex(expected) + toHex(counting(32)));
    expect(command.length).toBe(0x41);
  });

  it("the password session area is 00000009 40000009 0000 00 0000", () => {
    expect(toHex(encodeEmptyPasswordAuthorization())).toBe("000000094000000900000000" + "00");
  });

  it("TPM2_PCR_Extend with several banks lists them in the order given", () => {
    const command = encodePcrExtend(17, new Map([["sha1", new Uint8Array(20).fill(1)], ["sha384", new Uint8Array(48).fill(2)]]));
    const body = toHex(command.subarray(10 + 4 + 13));
    expect(body.slice(0, 8)).toBe("00000002");
    expect(body.slice(8, 12)).toBe("0004");
    expect(body.slice(12 + 40, 12 + 44)).toBe("000c");
    expect(command.length).toBe(10 + 4 + 13 + 4 + 2 + 20 + 2 + 48);
  });

  it("TPM2_PCR_Reset carries the handle and the session only", () => {
    expect(toHex(encodePcrReset(16))).toBe("80020000001b0000013d00000010" + "000000094000000900000000" + "00");
  });

  it("TPM2_PCR_Read of SHA-256 PCR 17 is 8001 00000014 0000017e 00000001 000b 03 000002 (§10.6)", () => {
    expect(toHex(encodePcrRead([{ algorithmId: TPM_ALG_ID.sha256, pcrs: [17] }]))).toBe(toHex(hex("8001 00000014 0000017e 00000001 000b 03 000002")));
  });

  it("a value that does not fit its field is NK-TPM-005, not a RangeError", async () => {
    await expectNovakitError(() => encodeGetRandom(0x10000), TpmDiagnostic.BAD_ARGUMENT);
    await expectNovakitError(() => encodePcrReset(-1), TpmDiagnostic.BAD_ARGUMENT);
  });

  it("TPM2_GetCapability(TPM_CAP_PCRS, 0, 1) (§10.7)", () => {
    expect(toHex(encodeGetPcrAllocation())).toBe("8001000000160000017a" + "00000005" + "00000000" + "00000001");
  });
});

describe("PCR selection bitmaps (§10.6)", () => {
  it("PCR n is bit n mod 8 of byte n div 8", () => {
    expect(toHex(encodePcrBitmap([17]))).toBe("000002");
    expect(toHex(encodePcrBitmap([0, 7, 8, 23]))).toBe("810180");
    expect(toHex(encodePcrBitmap([17, 23]))).toBe("000082");
    expect(decodePcrBitmap(hex("ffffff"))).toEqual(Array.from({ length: 24 }, (_, pcr) => pcr));
    expect(decodePcrBitmap(hex("810180"))).toEqual([0, 7, 8, 23]);
  });

  it("a PCR outside the bitmap is NK-TPM-005", async () => {
    await expectNovakitError(() => encodePcrBitmap([24]), TpmDiagnostic.BAD_ARGUMENT);
    await expectNovakitError(() => encodePcrBitmap([-1]), TpmDiagnostic.BAD_ARGUMENT);
  });
});

describe("response decoding", () => {
  it("the PCR_Extend answer 80 02 00 00 00 13 00 00 00 00 | 00 00 00 00 | 00 00 | 01 | 00 00 (§10.5)", () => {
    const response = decodeResponse(hex("80 02 00 00 00 13 00 00 00 00 00 00 00 00 00 00 01 00 00"), SOURCE);
    expect(response.responseCode).toBe(0);
    expect(() => decodeSessionOnlyResponse(response, SOURCE)).not.toThrow();
  });

  it("a session answer with a non-empty hmac is refused", async () => {
    const response = decodeResponse(hex("80 02 00 00 00 14 00 00 00 00 00 00 00 00 00 00 01 00 01 aa"), SOURCE);
    await expectNovakitError(() => decodeSessionOnlyResponse(response, SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("a second Startup answers 80 01 00 00 00 0a 00 00 01 00 (TPM_RC_INITIALIZE, §10.4)", () => {
    const response = decodeResponse(hex("80 01 00 00 00 0a 00 00 01 00"), SOURCE);
    expect(response.responseCode).toBe(TpmRc.INITIALIZE);
    expect(response.body.length).toBe(0);
  });

  it("GetRandom(16) answers 80 01 00 00 00 1c 00 00 00 00 00 10 + 16 bytes (§10.8)", () => {
    const response = decodeResponse(hex("80 01 00 00 00 1c 00 00 00 00 00 10" + toHex(counting(16))), SOURCE);
    expect(toHex(decodeGetRandom(response, 16, SOURCE))).toBe(toHex(counting(16)));
  });

  it("GetRandom answering more than asked is NK-TPM-001", async () => {
    const response = decodeResponse(hex("80 01 00 00 00 1c 00 00 00 00 00 10" + toHex(counting(16))), SOURCE);
    await expectNovakitError(() => decodeGetRandom(response, 8, SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("PCR_Read: counter, selection out, one TPM2B_DIGEST per selected PCR", () => {
    const value = counting(32);
    const bytes = success("00000007 00000001 000b 03 000002 00000001 0020" + toHex(value));
    const result = decodePcrReadResponse(decodeResponse(bytes, SOURCE), SOURCE);
    expect(result.updateCounter).toBe(7);
    expect(result.values).toEqual([{ bank: "sha256", pcr: 17, digest: value }]);
  });

  it("PCR_Read with a digest count that does not match the selection is NK-TPM-001", async () => {
    const bytes = success("00000007 00000001 000b 03 000006 00000001 0020" + toHex(counting(32)));
    const error = await expectNovakitError(() => decodePcrReadResponse(decodeResponse(bytes, SOURCE), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
    expect(error.location.field).toBe("pcrValues.count");
  });

  it("PCR_Read with a digest of the wrong size is NK-TPM-001", async () => {
    const bytes = success("00000007 00000001 000b 03 000002 00000001 0014" + toHex(counting(20)));
    await expectNovakitError(() => decodePcrReadResponse(decodeResponse(bytes, SOURCE), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("PCR_Read with a truncated digest list is NK-TPM-001 naming the field and offset", async () => {
    const bytes = success("00000007 00000001 000b 03 000002 00000001 0020" + toHex(counting(16)));
    const error = await expectNovakitError(() => decodePcrReadResponse(decodeResponse(bytes, SOURCE), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
    expect(error.location.field).toBe("pcrValues.digests[0].buffer");
    expect(error.location.offset).toBe(30);
  });

  it("the PCR allocation of a fresh swtpm: four banks, 24 PCRs each (§10.7)", () => {
    const body = "00 00000005 00000004 0004 03 ffffff 000b 03 ffffff 000c 03 ffffff 000d 03 ffffff";
    const bytes = success(body);
    const selections = decodePcrAllocation(decodeResponse(bytes, SOURCE), SOURCE);
    expect(selections.map((s) => s.algorithmId)).toEqual([4, 0xb, 0xc, 0xd]);
    expect(selections.every((s) => s.pcrs.length === 24)).toBe(true);
  });

  it("a response shorter than the header is NK-TPM-001", async () => {
    await expectNovakitError(() => decodeResponse(hex("80 01 00 00"), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("a response with a tag that is not 0x8001/0x8002 is NK-TPM-001", async () => {
    const error = await expectNovakitError(() => decodeResponse(new TextEncoder().encode("HTTP/1.1 200 OK\r\n"), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
    expect(error.location.field).toBe("tag");
  });

  it("a size field that disagrees with the bytes, or is absurd, is NK-TPM-002", async () => {
    await expectNovakitError(() => decodeResponse(hex("80 01 00 00 00 0c 00 00 00 00"), SOURCE), TpmDiagnostic.BAD_RESPONSE_SIZE);
    await expectNovakitError(() => decodeResponse(hex("80 01 ff ff ff ff 00 00 00 00"), SOURCE), TpmDiagnostic.BAD_RESPONSE_SIZE);
    await expectNovakitError(() => decodeResponse(hex("80 01 00 00 00 04 00 00 00 00"), SOURCE), TpmDiagnostic.BAD_RESPONSE_SIZE);
  });

  it("an error response that is not a bare 10-byte header is NK-TPM-001 (§10.1)", async () => {
    await expectNovakitError(() => decodeResponse(hex("80 01 00 00 00 0c 00 00 01 00 00 00"), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
    await expectNovakitError(() => decodeResponse(hex("80 02 00 00 00 0a 00 00 09 07"), SOURCE), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("encodes error responses as 10 bytes with tag 0x8001", () => {
    expect(toHex(encodeErrorResponse(0x907))).toBe("80010000000a00000907");
  });
});

describe("response codes (§10.3)", () => {
  it.each([
    [0x000, "SUCCESS", "success", {}],
    [0x100, "INITIALIZE", "format0", {}],
    [0x101, "FAILURE", "format0", {}],
    [0x125, "AUTH_MISSING", "format0", {}],
    [0x142, "COMMAND_SIZE", "format0", {}],
    [0x143, "COMMAND_CODE", "format0", {}],
    [0x144, "AUTHSIZE", "format0", {}],
    [0x907, "LOCALITY", "warning", {}],
    [0x90a, "TESTING", "warning", {}],
    [0x922, "RETRY", "warning", {}],
    [0x902, "OBJECT_MEMORY", "warning", {}],
    [0x01e, "BAD_TAG", "tpm12", {}],
    [0x084, "VALUE", "format1", {}],
    [0x09a, "INSUFFICIENT", "format1", {}],
    [0x1c3, "HASH", "format1", { parameter: 1 }],
    [0x9a2, "BAD_AUTH", "format1", { session: 1 }],
    [0x184, "VALUE", "format1", { handle: 1 }],
    [0x2d5, "SIZE", "format1", { parameter: 2 }],
    [0x918, "REFERENCE_S0", "warning", {}],
  ] as const)("response code %i decodes to %s", (code, name, format, blame) => {
    const decoded = decodeResponseCode(code);
    expect(decoded.name).toBe(name);
    expect(decoded.format).toBe(format);
    expect({ parameter: decoded.parameter, handle: decoded.handle, session: decoded.session }).toEqual({
      parameter: undefined,
      handle: undefined,
      session: undefined,
      ...blame,
    });
  });

  it("builds the numbered format-1 codes swtpm answered", () => {
    expect(parameterError(TpmRc.HASH, 1)).toBe(0x1c3);
    expect(sessionError(TpmRc.BAD_AUTH, 1)).toBe(0x9a2);
    expect(handleError(TpmRc.VALUE, 1)).toBe(0x184);
  });

  it("describes a code in one readable line", () => {
    expect(describeResponseCode(0x1c3)).toMatch(/^TPM_RC_HASH \(0x1c3\) on parameter 1: hash algorithm/);
    expect(describeResponseCode(0x907)).toMatch(/^TPM_RC_LOCALITY \(0x907\) \(warning\): bad locality/);
    expect(describeResponseCode(0x9a2)).toMatch(/on session 1/);
  });

  it("digest sizes follow §8.3", () => {
    expect(DIGEST_SIZE).toEqual({ sha1: 20, sha256: 32, sha384: 48, sha512: 64 });
    expect(TPM_ALG_ID).toEqual({ sha1: 4, sha256: 0xb, sha384: 0xc, sha512: 0xd });
  });
});
