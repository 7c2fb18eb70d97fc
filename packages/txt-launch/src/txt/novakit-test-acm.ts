import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { TPM_ALG_ID } from "../tpm/tpm.js";
import { ACM_SUBTYPE_SINIT, ACM_TYPE_CHIPSET, ACM_VENDOR_INTEL, CHIPSET_ACM_TYPE_SINIT, type SinitAcmLayout } from "./acm-header.js";
import { cpuidFmsOf } from "./txt-environment.js";

/**
 * The synthetic SINIT ACM Novakit ships for its TXT test platform (arch-x86_64's
 * "intel-txt-test-host" profile). It is NOT an Intel module: no real code, and the "signature" is
 * filler. Its header, information table and lists are laid out exactly as a real SINIT's
 * (txt-tpm.md §2.2), so the strict parser and the platform matching run on the same path a real
 * ACM takes. The committed fixture (fixtures/sinit-acm-novakit-test.bin) is this layout encoded
 * by encodeSinitAcm; a test proves the two agree.
 */
export const TEST_ACM_CHIPSET = Object.freeze({ vendorId: 0x8086, deviceId: 0xb006, revisionId: 0x0001 });
/** CPUID.1:EAX of the test platform's CPU (family 6, model 0x55, stepping 4: a Skylake-SP Xeon). */
export const TEST_ACM_FMS = cpuidFmsOf(6, 0x55, 4);
/** ACM capabilities: RLP wakeup by GETSEC and MONITOR, ECX page-table pointer, client platform, MAXPHYADDR masks, TCG log format */
export const TEST_ACM_CAPABILITIES = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 6) | (1 << 8) | (1 << 9);

/** `length` bytes of a SHA-512 counter stream of `label`: deterministic filler. */
export function fillerBytes(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0, offset = 0; offset < length; block++, offset += 64) {
    const chunk = createHash("sha512").update(`${label}:${block}`).digest();
    out.set(chunk.subarray(0, Math.min(64, length - offset)), offset);
  }
  return out;
}

export function novakitTestAcmLayout(): SinitAcmLayout {
  const modulus = fillerBytes("novakit synthetic SINIT ACM signing key modulus", 256);
  modulus[255] = (modulus[255] as number) | 0x80; // little-endian modulus: top bit set, as an RSA-2048 key's
  modulus[0] = (modulus[0] as number) | 0x01; // odd
  return {
    moduleType: ACM_TYPE_CHIPSET,
    moduleSubType: ACM_SUBTYPE_SINIT,
    headerVersion: 0,
    chipsetId: TEST_ACM_CHIPSET.deviceId,
    flags: 0x8000, // debug-signed: it is not Intel's
    moduleVendor: ACM_VENDOR_INTEL,
    date: 0x20261125,
    txtSvn: 1,
    entryPoint: 0x1000,
    keySize: 64,
    scratchSize: 32,
    publicKeyModulus: modulus,
    publicKeyExponent: 0x10001,
    signature: fillerBytes("novakit synthetic SINIT ACM signature", 256),
    info: { chipsetAcmType: CHIPSET_ACM_TYPE_SINIT, version: 6, osSinitTableVersion: 7, minMleHeaderVersion: 0x20000, capabilities: TEST_ACM_CAPABILITIES, acmVersion: 1 },
    chipsets: [{ flags: 0, ...TEST_ACM_CHIPSET, extendedId: 0 }],
    processors: [{ fms: TEST_ACM_FMS, fmsMask: 0x0fff3ff0, platformId: 0n, platformMask: 0n }],
    // max-performance policy (bit 1) and discrete TPM 2.0 (bit 3); hashes all four banks
    tpm: { capabilities: (1 << 1) | (1 << 3), algorithms: [TPM_ALG_ID.sha1, TPM_ALG_ID.sha256, TPM_ALG_ID.sha384, TPM_ALG_ID.sha512] },
    code: fillerBytes("novakit synthetic SINIT ACM code", 0x1800),
  };
}

/** Absolute path of the committed fixture (src/txt and dist/txt both sit two levels below the package). */
export function novakitTestAcmPath(): string {
  return fileURLToPath(new URL("../../fixtures/sinit-acm-novakit-test.bin", import.meta.url));
}
