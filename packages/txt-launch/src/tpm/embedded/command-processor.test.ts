import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { counting, hex, toHex } from "../test-support/hex.js";
import { HASH_ALGORITHMS, PCR_COUNT, TPM_ALG_ID, type HashAlgorithm } from "../tpm.js";
import { encodeGetCapability, encodeGetRandom, encodePcrExtend, encodePcrRead, encodePcrReset, encodeStartup } from "../wire/commands.js";
import { encodeCommand } from "../wire/framing.js";
import { TpmCap, TpmCc, TpmPt, TpmSt } from "../wire/tpm-constants.js";
import { TpmCommandProcessor } from "./command-processor.js";

/** The response code of a raw response. */
function rc(response: Uint8Array): number {
  return new DataView(response.buffer, response.byteOffset).getUint32(6, false);
}

function started(options: ConstructorParameters<typeof TpmCommandProcessor>[0] = {}): TpmCommandProcessor {
  const tpm = new TpmCommandProcessor(options);
  expect(rc(tpm.execute(encodeStartup(), 0))).toBe(0);
  return tpm;
}

function sha(algorithm: HashAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** The digest of one PCR, read with a raw PCR_Read. */
function readPcr(tpm: TpmCommandProcessor, bank: HashAlgorithm, pcr: number): Uint8Array {
  const response = tpm.execute(encodePcrRead([{ algorithmId: TPM_ALG_ID[bank], pcrs: [pcr] }]), 0);
  expect(rc(response)).toBe(0);
  // header 10, counter 4, selection 4+2+1+3, count 4, size 2
  return response.subarray(30);
}

function extend(tpm: TpmCommandProcessor, pcr: number, locality: number, bank: HashAlgorithm = "sha256"): number {
  return rc(tpm.execute(encodePcrExtend(pcr, new Map([[bank, new Uint8Array(sha(bank, new Uint8Array()).length)]])), locality));
}

/** A PCR_Extend of PCR 23 with the authorization area `auth` and parameters `parameters`. */
function withSession(auth: string, parameters = "00000001 000b" + toHex(counting(32)), handle = 23): Uint8Array {
  return encodeCommand(TpmSt.SESSIONS, TpmCc.PCR_Extend, hex(handle.toString(16).padStart(8, "0") + auth + parameters));
}

/** txt-tpm.md §5, verified on libtpms: the table exactly as printed there. */
const MAY_EXTEND: Record<number, string> = { 0: "0-16,23", 1: "0-16,20,23", 2: "0-23", 3: "0-20,23", 4: "0-18,23" };
const MAY_RESET: Record<number, string> = { 0: "16,23", 1: "16,23", 2: "16,20-23", 3: "16,23", 4: "" };

function expand(ranges: string): number[] {
  if (ranges === "") return [];
  return ranges.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map(Number);
    return Array.from({ length: (to ?? from ?? 0) - (from ?? 0) + 1 }, (_, i) => (from ?? 0) + i);
  });
}

describe("embedded TPM: startup", () => {
  it("answers TPM_RC_INITIALIZE before Startup and to a second Startup (§10.4)", () => {
    const tpm = new TpmCommandProcessor();
    expect(toHex(tpm.execute(encodeGetRandom(8), 0))).toBe("80010000000a00000100");
    expect(toHex(tpm.execute(encodeStartup(), 0))).toBe("80010000000a00000000");
    expect(toHex(tpm.execute(encodeStartup(), 0))).toBe("80010000000a00000100");
  });

  it("refuses Startup(STATE): it never saved a state to resume (TPM_RC_VALUE, parameter 1)", () => {
    const tpm = new TpmCommandProcessor();
    expect(rc(tpm.execute(encodeStartup("state"), 0))).toBe(0x1c4);
    expect(tpm.isStarted).toBe(false);
  });

  it("starts PCR 0-16 and 23 at zero and PCR 17-22 at all-ones in every bank (§5)", () => {
    const tpm = started();
    for (const bank of HASH_ALGORITHMS) {
      for (let pcr = 0; pcr < PCR_COUNT; pcr++) {
        const value = readPcr(tpm, bank, pcr);
        const expected = pcr >= 17 && pcr <= 22 ? 0xff : 0x00;
        expect(value.every((byte) => byte === expected), `${bank} PCR ${pcr}`).toBe(true);
      }
    }
  });
});

describe("embedded TPM: locality rules (txt-tpm.md §5 table)", () => {
  for (let locality = 0; locality <= 4; locality++) {
    it(`locality ${locality} extends exactly PCRs ${MAY_EXTEND[locality]} and resets exactly ${MAY_RESET[locality] || "none"}`, () => {
      const tpm = started();
      const extended = Array.from({ length: PCR_COUNT }, (_, pcr) => pcr).filter((pcr) => {
        const code = extend(tpm, pcr, locality);
        expect([0, 0x907]).toContain(code);
        return code === 0;
      });
      const reset = Array.from({ length: PCR_COUNT }, (_, pcr) => pcr).filter((pcr) => {
        const code = rc(tpm.execute(encodePcrReset(pcr), locality));
        expect([0, 0x907]).toContain(code);
        return code === 0;
      });
      expect(extended).toEqual(expand(MAY_EXTEND[locality] ?? ""));
      expect(reset).toEqual(expand(MAY_RESET[locality] ?? ""));
    });
  }

  it("a refused extend leaves the PCR unchanged", () => {
    const tpm = started();
    expect(extend(tpm, 17, 0)).toBe(0x907);
    expect(toHex(readPcr(tpm, "sha256", 17))).toBe("ff".repeat(32));
  });
});

describe("embedded TPM: extend and read", () => {
  it("PCR_new = H(PCR_old ‖ digest): the swtpm-recipe §4 example in PCR 23", () => {
    const tpm = started();
    const digest = sha("sha256", new TextEncoder().encode("hello measured launch"));
    expect(toHex(digest)).toBe("eb39e2366880f4a21affb69b0612a749c4a347912b6fe2525f4e50f21087428e");
    expect(rc(tpm.execute(encodePcrExtend(23, new Map([["sha256", digest]])), 0))).toBe(0);
    expect(toHex(readPcr(tpm, "sha256", 23))).toBe("1ecc40e08b43e34f4b14d1eb9b93e23e8f3781b64d1a22da430985837f7a8e12");
  });

  it("the PCR_Extend answer is byte-identical to swtpm's (§10.5)", () => {
    const tpm = started();
    expect(toHex(tpm.execute(encodePcrExtend(23, new Map([["sha256", counting(32)]])), 0))).toBe("80020000001300000000000000000000010000");
  });

  it("a bank listed twice is extended twice, and TPM_RH_NULL is a no-op target (as on swtpm)", () => {
    const tpm = started();
    const twice = withSession("00000009 40000009 0000 00 0000", "00000002 000b" + toHex(counting(32)) + "000b" + toHex(counting(32)));
    expect(rc(tpm.execute(twice, 0))).toBe(0);
    const once = sha("sha256", new Uint8Array(32), counting(32));
    expect(toHex(readPcr(tpm, "sha256", 23))).toBe(toHex(sha("sha256", once, counting(32))));
    expect(rc(tpm.execute(withSession("00000009 40000009 0000 00 0000", undefined, 0x40000007), 0))).toBe(0);
  });

  it("extends only the banks listed", () => {
    const tpm = started();
    tpm.execute(encodePcrExtend(16, new Map([["sha1", counting(20)]])), 0);
    expect(toHex(readPcr(tpm, "sha1", 16))).toBe(toHex(sha("sha1", new Uint8Array(20), counting(20))));
    expect(toHex(readPcr(tpm, "sha256", 16))).toBe("00".repeat(32));
  });

  it("PCR_Read returns at most 8 digests and says which in pcrSelectionOut (§10.6)", () => {
    const tpm = started();
    const response = tpm.execute(encodePcrRead([{ algorithmId: TPM_ALG_ID.sha1, pcrs: Array.from({ length: 24 }, (_, pcr) => pcr) }]), 0);
    expect(rc(response)).toBe(0);
    expect(toHex(response.subarray(14, 24))).toBe("00000001" + "0004" + "03" + "ff0000");
    expect(new DataView(response.buffer, response.byteOffset).getUint32(24, false)).toBe(8);
  });

  it("pcrUpdateCounter counts extends and resets", () => {
    const tpm = started();
    const counter = (): number => new DataView(tpm.execute(encodePcrRead([{ algorithmId: TPM_ALG_ID.sha1, pcrs: [0] }]), 0).buffer).getUint32(10, false);
    expect(counter()).toBe(0);
    extend(tpm, 0, 0);
    tpm.execute(encodePcrReset(16), 0);
    expect(counter()).toBe(2);
  });
});

describe("embedded TPM: the DRTM hash sequence (§5)", () => {
  it("resets 17-22, extends PCR 17 with H(data) in every bank, leaves 16 and 23 alone", () => {
    const tpm = started();
    tpm.execute(encodePcrExtend(16, new Map([["sha256", counting(32)]])), 0);
    const pcr16 = readPcr(tpm, "sha256", 16);
    const data = new TextEncoder().encode("secure loader image bytes");
    tpm.hashStart();
    tpm.hashData(data.subarray(0, 5));
    tpm.hashData(data.subarray(5));
    tpm.hashEnd();
    for (const bank of HASH_ALGORITHMS) {
      const size = sha(bank, data).length;
      expect(toHex(readPcr(tpm, bank, 17)), bank).toBe(toHex(sha(bank, new Uint8Array(size), sha(bank, data))));
      for (const pcr of [18, 19, 20, 21, 22]) expect(toHex(readPcr(tpm, bank, pcr))).toBe("00".repeat(size));
      expect(toHex(readPcr(tpm, bank, 23))).toBe("00".repeat(size));
    }
    expect(toHex(readPcr(tpm, "sha256", 16))).toBe(toHex(pcr16));
  });

  it("then a locality-2 extend of H('MLE image') gives swtpm's verified PCR 17 (§9 worked example)", () => {
    const tpm = started();
    tpm.hashStart();
    tpm.hashData(new TextEncoder().encode("secure loader image bytes"));
    tpm.hashEnd();
    const mle = new TextEncoder().encode("MLE image");
    const digests = new Map(HASH_ALGORITHMS.map((bank) => [bank, sha(bank, mle)] as const));
    expect(rc(tpm.execute(encodePcrExtend(17, digests), 2))).toBe(0);
    expect(toHex(readPcr(tpm, "sha1", 17))).toBe("f46db69de0cb720faf41aa5b25f9b34feda227dd");
    expect(toHex(readPcr(tpm, "sha256", 17))).toBe("725d4fe2cd7707c8c32c8ec1ef65fcaaaa9bf1e52c248231b15e8ed1a593d060");
  });

  it("refuses a hash sequence that was not started, or before Startup", () => {
    const tpm = new TpmCommandProcessor();
    expect(() => tpm.hashEnd()).toThrow(/without _TPM_Hash_Start/);
    expect(() => tpm.hashData(new Uint8Array(1))).toThrow(/without _TPM_Hash_Start/);
    tpm.hashStart();
    expect(() => tpm.hashEnd()).toThrow(/before TPM2_Startup/);
  });
});

describe("embedded TPM: malformed commands get libtpms's answers (swtpm-recipe.md §5)", () => {
  it.each([
    ["a wrong tag", hex("1234 0000000c 0000017b 0010"), 0x084],
    ["ASCII text", new TextEncoder().encode("GET / HTTP/1.1\r\n"), 0x084],
    ["a size field larger than the bytes", hex("8001 0000000d 0000017b 0010"), 0x142],
    ["a size field smaller than the bytes", hex("8001 0000000b 0000017b 0010"), 0x142],
    ["fewer bytes than a header", hex("8001 0000"), 0x142],
    ["an unknown command code", encodeCommand(TpmSt.NO_SESSIONS, 0x1ff, new Uint8Array(0)), 0x143],
    ["PCR_Extend with tag 0x8001", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Extend, encodePcrExtend(23, new Map([["sha256", counting(32)]])).subarray(10)), 0x125],
    ["GetRandom with tag 0x8002 and no auth area", encodeCommand(TpmSt.SESSIONS, TpmCc.GetRandom, hex("0008")), 0x09a],
    ["a wrong password", hex("8002 00000045 00000182 00000017 0000000d 40000009 0000 00 0004 70617373 00000001 000b" + toHex(counting(32))), 0x9a2],
    ["an SM3 extend (not implemented)", hex("8002 00000041 00000182 00000017 00000009 40000009 0000 00 0000 00000001 0012" + toHex(counting(32))), 0x1c3],
    ["a PCR handle beyond 23", encodePcrExtend(23, new Map([["sha256", counting(32)]])).map((byte, i) => (i === 13 ? 24 : byte)), 0x184],
    ["a truncated digest", encodePcrExtend(23, new Map([["sha256", counting(32)]])).subarray(0, 0x41 - 4).map((byte, i) => (i === 5 ? 0x3d : byte)), 0x1da],
    ["an HMAC session handle", encodePcrExtend(23, new Map([["sha256", counting(32)]])).map((byte, i) => (i === 18 ? 0x02 : byte)), 0x918],
    ["an unknown capability", encodeGetCapability(0x99, 0, 1), 0x1c4],
    // the rest as observed on swtpm 0.7.1 / libtpms 0.9.2 while building this (interop re-checks them)
    ["a non-empty nonce in the password session", withSession("0000000b 40000009 0002 abcd 00 0000"), 0x98f],
    ["reserved session attribute bits", withSession("00000009 40000009 0000 18 0000"), 0x9a1],
    ["two sessions for one handle", withSession("00000012 40000009 0000 00 0000 40000009 0000 00 0000"), 0xa8b],
    ["a byte after the session in the auth area", withSession("0000000a 40000009 0000 00 0000 00"), 0xa9a],
    ["an authorizationSize below one session", withSession("00000008 40000009 0000 00 00"), 0x095],
    ["an authorizationSize beyond the command", withSession("000000ff 40000009 0000 00 0000"), 0x095],
    ["a password session on GetRandom", encodeCommand(TpmSt.SESSIONS, TpmCc.GetRandom, hex("00000009 40000009 0000 00 0000 0008")), 0x98b],
    ["a digest count above the 4 implemented hashes", withSession("00000009 40000009 0000 00 0000", "00000005 000b" + toHex(counting(32))), 0x1d5],
    ["a bank count above 4 in PCR_Read", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Read, hex("00000005 000b 03 000002")), 0x1d5],
    ["a 2-byte PCR bitmap", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Read, hex("00000001 000b 02 0000")), 0x1c4],
    ["a 4-byte PCR bitmap", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Read, hex("00000001 000b 04 00000000")), 0x1c4],
    ["an SM3 PCR_Read", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.PCR_Read, hex("00000001 0012 03 000002")), 0x1c3],
    ["a byte after the parameters", encodeCommand(TpmSt.NO_SESSIONS, TpmCc.GetRandom, hex("0008 00")), 0x095],
    ["a PCR_Extend of TPM_RH_OWNER", withSession("00000009 40000009 0000 00 0000", "00000001 000b" + toHex(counting(32)), 0x40000001), 0x184],
  ])("%s", (_, command, expected) => {
    const tpm = started();
    const response = tpm.execute(command, 0);
    expect(rc(response).toString(16)).toBe(expected.toString(16));
    expect(response.length).toBe(10);
    expect(toHex(response.subarray(0, 6))).toBe("80010000000a");
  });
});

describe("embedded TPM: capabilities and random bytes", () => {
  it("TPM_CAP_PCRS lists the allocated banks with all 24 PCRs, others empty", () => {
    const tpm = started({ banks: ["sha256", "sha1"] });
    const response = tpm.execute(encodeGetCapability(TpmCap.PCRS, 0, 1), 0);
    expect(toHex(response.subarray(10))).toBe("00" + "00000005" + "00000004" + "000403ffffff" + "000b03ffffff" + "000c03000000" + "000d03000000");
  });

  it("TPM_CAP_TPM_PROPERTIES answers from the requested tag, with moreData", () => {
    const tpm = started();
    const response = tpm.execute(encodeGetCapability(TpmCap.TPM_PROPERTIES, TpmPt.PCR_COUNT, 2), 0);
    expect(toHex(response.subarray(10))).toBe("01" + "00000006" + "00000002" + "00000112" + "00000018" + "00000113" + "00000003");
  });

  it("GetRandom is deterministic per seed and capped at 64 bytes (§10.8)", () => {
    const a = started({ seed: "boot-1" });
    const b = started({ seed: "boot-1" });
    const c = started({ seed: "boot-2" });
    const first = a.execute(encodeGetRandom(100), 0);
    expect(first.length).toBe(12 + 64);
    expect(toHex(first.subarray(10, 12))).toBe("0040");
    expect(toHex(b.execute(encodeGetRandom(100), 0))).toBe(toHex(first));
    expect(toHex(c.execute(encodeGetRandom(100), 0))).not.toBe(toHex(first));
    expect(toHex(a.execute(encodeGetRandom(100), 0))).not.toBe(toHex(first));
  });
});
