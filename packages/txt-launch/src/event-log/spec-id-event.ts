import { DIGEST_SIZE, TPM_ALG_ID, type HashAlgorithm } from "../tpm/tpm.js";

/** "Spec ID Event03" + NUL: the 16-byte signature of the crypto-agile header (txt-tpm.md §8.2). */
export const SPEC_ID_SIGNATURE = "Spec ID Event03\0";
/** "StartupLocality" + NUL: an EV_NO_ACTION record that sets PCR 0's initial value (§8.4). */
export const STARTUP_LOCALITY_SIGNATURE = "StartupLocality\0";

/** The header record's fixed part before the Spec ID event: pcrIndex, eventType, SHA-1-size digest, eventSize. */
export const HEADER_RECORD_PREFIX = 32;
/** Spec ID event bytes before the digest-size table: signature 16, class 4, versions 4, count 4. */
export const SPEC_ID_FIXED = 28;

/** TPM_ALG_ID → bank, for the banks this verifier knows (every other id is refused). */
export const ALGORITHM_BY_ID: ReadonlyMap<number, HashAlgorithm> = new Map(
  (Object.entries(TPM_ALG_ID) as [HashAlgorithm, number][]).map(([algorithm, id]) => [id, algorithm]),
);

/** Algorithms a log may list that this verifier cannot replay (SM3, SHA3): named in errors. */
export const KNOWN_UNSUPPORTED_ALGORITHMS: ReadonlyMap<number, string> = new Map([
  [0x0012, "SM3_256"],
  [0x0027, "SHA3_256"],
  [0x0028, "SHA3_384"],
  [0x0029, "SHA3_512"],
]);

export function digestSizeOf(algorithm: HashAlgorithm): number {
  return DIGEST_SIZE[algorithm];
}
