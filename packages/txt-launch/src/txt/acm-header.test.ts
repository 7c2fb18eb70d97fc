import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isNovakitError } from "@novakit/kernel-core";
import { encodeSinitAcm, parseSinitAcm } from "./acm-header.js";
import { checkAcmForPlatform } from "./acm-match.js";
import { novakitTestAcmLayout, novakitTestAcmPath, TEST_ACM_FMS } from "./novakit-test-acm.js";
import { cpuidFmsOf } from "./txt-environment.js";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isNovakitError(error)) return error.code;
    throw error;
  }
  return "no error";
}

const fixture = (): Uint8Array => new Uint8Array(readFileSync(novakitTestAcmPath()));
const DIDVID = (1n << 32n) | (0xb006n << 16n) | 0x8086n;

describe("SINIT ACM header (txt-tpm.md §2.2)", () => {
  it("the committed fixture is exactly what the encoder writes for the test ACM layout", () => {
    expect(Buffer.from(fixture()).equals(Buffer.from(encodeSinitAcm(novakitTestAcmLayout())))).toBe(true);
  });

  it("parses the header fields, the information table at 4 x (HeaderLen + ScratchSize) and the lists", () => {
    const bytes = fixture();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint16(0, true)).toBe(2);
    expect(view.getUint32(4, true)).toBe(161); // 128 + 256 key + 4 exponent + 256 signature = 644 bytes
    expect(view.getUint32(24, true) * 4).toBe(bytes.length);
    expect(view.getUint32(4 * (161 + 32), true)).toBe(0x7fc03aaa);
    const acm = parseSinitAcm(bytes, "fixture");
    expect(acm).toMatchObject({ moduleType: 2, moduleSubType: 0, moduleVendor: 0x8086, headerLength: 161, keySize: 64, scratchSize: 32, size: 8192, publicKeyExponent: 0x10001 });
    expect(acm.info).toMatchObject({ chipsetAcmType: 1, version: 6, osSinitTableVersion: 7, minMleHeaderVersion: 0x20000 });
    expect(acm.chipsets).toEqual([{ flags: 0, vendorId: 0x8086, deviceId: 0xb006, revisionId: 1, extendedId: 0 }]);
    expect(acm.processors[0]?.fms).toBe(0x50654);
    expect(acm.tpm.algorithms).toEqual([0x4, 0xb, 0xc, 0xd]);
  });

  it("is strict: wrong type, subtype, vendor, size, UUID and list counts are NK-TXT-004", () => {
    const mutate = (offset: number, write: (view: DataView) => void): Uint8Array => {
      const bytes = Uint8Array.from(fixture());
      write(new DataView(bytes.buffer));
      void offset;
      return bytes;
    };
    expect(codeOf(() => parseSinitAcm(mutate(0, (v) => v.setUint16(0, 1, true)), "x"))).toBe("NK-TXT-004");
    expect(codeOf(() => parseSinitAcm(mutate(2, (v) => v.setUint16(2, 1, true)), "x"))).toBe("NK-TXT-004");
    expect(codeOf(() => parseSinitAcm(mutate(16, (v) => v.setUint32(16, 0x1022, true)), "x"))).toBe("NK-TXT-004");
    expect(codeOf(() => parseSinitAcm(mutate(24, (v) => v.setUint32(24, 0x1000, true)), "x"))).toBe("NK-TXT-004");
    expect(codeOf(() => parseSinitAcm(mutate(772, (v) => v.setUint32(772, 0, true)), "x"))).toBe("NK-TXT-004");
    const chipsetList = new DataView(fixture().buffer).getUint32(772 + 20, true);
    expect(codeOf(() => parseSinitAcm(mutate(chipsetList, (v) => v.setUint32(chipsetList, 100_000, true)), "x"))).toBe("NK-TXT-004");
    expect(codeOf(() => parseSinitAcm(fixture().subarray(0, 100), "x"))).toBe("NK-TXT-004");
  });

  it("matches the platform's chipset and processor, and names the mismatch (NK-TXT-005)", () => {
    const acm = parseSinitAcm(fixture(), "fixture");
    const facts = { sinitSize: 0x40000, didvid: DIDVID, fms: TEST_ACM_FMS, platformId: 0n, banks: ["sha1", "sha256"] as const, source: "fixture" };
    expect(() => checkAcmForPlatform(acm, facts)).not.toThrow();
    expect(codeOf(() => checkAcmForPlatform(acm, { ...facts, didvid: (1n << 32n) | (0x3e10n << 16n) | 0x8086n }))).toBe("NK-TXT-005");
    expect(codeOf(() => checkAcmForPlatform(acm, { ...facts, fms: cpuidFmsOf(6, 0x9e, 10) }))).toBe("NK-TXT-005");
    expect(codeOf(() => checkAcmForPlatform(acm, { ...facts, fms: cpuidFmsOf(6, 0x55, 7) }))).toBe("no error"); // stepping is masked
    expect(codeOf(() => checkAcmForPlatform(acm, { ...facts, sinitSize: 0x1000 }))).toBe("NK-TXT-006");
  });

  it("encodes CPUID.1:EAX with the extended model field (family 6 model 0x55 stepping 4 = 0x50654)", () => {
    expect(cpuidFmsOf(6, 0x55, 4)).toBe(0x50654);
    expect(cpuidFmsOf(0x19, 0x11, 0)).toBe(0xa10f10);
  });
});
