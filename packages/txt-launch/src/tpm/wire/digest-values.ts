import { DIGEST_SIZE, TPM_ALG_ID, type HashAlgorithm } from "../tpm.js";
import { hashAlgorithmFromId } from "../hash-algorithm.js";
import type { BigEndianReader } from "./big-endian-reader.js";
import type { BigEndianWriter } from "./big-endian-writer.js";
import { TpmRc, parameterError } from "./response-code.js";

/**
 * TPML_DIGEST_VALUES (txt-tpm.md §10.5): count u32, then count × TPMT_HA {hashAlg u16, digest of
 * that algorithm's size}. Banks not listed are not extended.
 */
export function writeDigestValues(writer: BigEndianWriter, digests: ReadonlyMap<HashAlgorithm, Uint8Array>): void {
  writer.u32(digests.size);
  for (const [algorithm, digest] of digests) writer.u16(TPM_ALG_ID[algorithm]).raw(digest);
}

/** The outcome of reading a TPML_DIGEST_VALUES inside a command: the digests or a TPM_RC. */
export type DigestValuesResult =
  | { readonly ok: true; readonly digests: readonly (readonly [HashAlgorithm, Uint8Array])[] }
  | { readonly ok: false; readonly responseCode: number };

/**
 * The embedded TPM's reader of a TPML_DIGEST_VALUES parameter (`parameterNumber` for the error
 * code). An algorithm this TPM does not implement is TPM_RC_HASH on that parameter, as libtpms
 * answers an SM3 extend with 0x1C3 (swtpm-recipe.md §5); a count above `maxCount` (the number of
 * implemented hashes) is TPM_RC_SIZE on it (0x1D5 on swtpm for a count of 5).
 */
export function readDigestValues(reader: BigEndianReader, parameterNumber: number, maxCount: number): DigestValuesResult {
  if (reader.remaining < 4) return { ok: false, responseCode: parameterError(TpmRc.INSUFFICIENT, parameterNumber) };
  const count = reader.u32("digests.count");
  if (count > maxCount) return { ok: false, responseCode: parameterError(TpmRc.SIZE, parameterNumber) };
  // a list, not a map: a bank named twice is extended twice, as libtpms does
  const digests: (readonly [HashAlgorithm, Uint8Array])[] = [];
  for (let index = 0; index < count; index++) {
    if (reader.remaining < 2) return { ok: false, responseCode: parameterError(TpmRc.INSUFFICIENT, parameterNumber) };
    const algorithm = hashAlgorithmFromId(reader.u16(`digests[${index}].hashAlg`));
    if (algorithm === undefined) return { ok: false, responseCode: parameterError(TpmRc.HASH, parameterNumber) };
    if (reader.remaining < DIGEST_SIZE[algorithm]) return { ok: false, responseCode: parameterError(TpmRc.INSUFFICIENT, parameterNumber) };
    digests.push([algorithm, reader.raw(DIGEST_SIZE[algorithm], `digests[${index}].digest`)]);
  }
  return { ok: true, digests };
}
