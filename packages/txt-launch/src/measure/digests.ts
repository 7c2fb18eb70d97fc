import { createHash } from "node:crypto";
import { DIGEST_SIZE, type HashAlgorithm } from "../tpm/tpm.js";

/** Node's name of each bank's hash function. */
const NODE_HASH: Readonly<Record<HashAlgorithm, string>> = { sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" };

/** H_bank(data). */
export function hashBytes(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(NODE_HASH[algorithm]).update(data).digest());
}

/** H_bank(data) for every bank, in the order given: what one TPM2_PCR_Extend carries. */
export function digestsOf(data: Uint8Array, banks: readonly HashAlgorithm[]): Map<HashAlgorithm, Uint8Array> {
  return new Map(banks.map((bank) => [bank, hashBytes(bank, data)]));
}

/** The TPM 2.0 extend rule (txt-tpm.md §9): PCR_new = H_bank(PCR_old ‖ digest). */
export function extendPcr(algorithm: HashAlgorithm, old: Uint8Array, digest: Uint8Array): Uint8Array {
  const joined = new Uint8Array(old.length + digest.length);
  joined.set(old, 0);
  joined.set(digest, old.length);
  return hashBytes(algorithm, joined);
}

/** A PCR value of `fill` bytes in the bank's size: zeros after Startup, 0xFF for 17-22 before a DRTM. */
export function filledPcr(algorithm: HashAlgorithm, fill: number): Uint8Array {
  return new Uint8Array(DIGEST_SIZE[algorithm]).fill(fill);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** A u32 little-endian, as TXT hashes its u32 values (txt-tpm.md §7.1 "H(u32 ...)"). */
export function u32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

export { concatBytes } from "@novakit/kernel-core";

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
