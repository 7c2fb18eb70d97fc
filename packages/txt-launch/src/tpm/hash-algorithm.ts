import { createHash } from "node:crypto";
import { NovakitError } from "@novakit/kernel-core";
import { DIGEST_SIZE, HASH_ALGORITHMS, TPM_ALG_ID, type HashAlgorithm } from "./tpm.js";
import { TpmDiagnostic } from "./tpm-diagnostics.js";

/** The bank with TPM_ALG_ID `id`, or undefined for algorithms this package does not model (SM3...). */
export function hashAlgorithmFromId(id: number): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((algorithm) => TPM_ALG_ID[algorithm] === id);
}

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** H_bank(data) */
export function hashBytes(algorithm: HashAlgorithm, ...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** The extend rule of every bank (txt-tpm.md §9): PCR_new = H(PCR_old ‖ digest). */
export function extendDigest(algorithm: HashAlgorithm, old: Uint8Array, digest: Uint8Array): Uint8Array {
  return hashBytes(algorithm, old, digest);
}

/** Throws NK-TPM-005 unless `digest` is exactly the size of `algorithm`'s digests. */
export function requireDigestSize(algorithm: HashAlgorithm, digest: Uint8Array, field: string): void {
  if (digest.length !== DIGEST_SIZE[algorithm]) {
    throw new NovakitError(
      TpmDiagnostic.BAD_ARGUMENT,
      `${algorithm} digest must be ${DIGEST_SIZE[algorithm]} bytes, got ${digest.length}`,
      { field },
    );
  }
}
