/**
 * The one TPM 2.0 interface the measured launch talks to. Two implementations stand behind it:
 * the embedded software TPM (the default, no setup) and a real TPM reached over TCP (swtpm's
 * socket interface). Both speak the same TPM 2.0 wire format (txt-tpm.md §10), so the launch
 * code cannot tell them apart and the interop suite can compare them byte for byte.
 *
 * Every failure is a NovakitError with an NK-TPM-0xx code; a method never returns a partial
 * result (a TPM that dies mid-command throws, it does not return the PCRs it managed to read).
 */
export type HashAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";

/** The banks in the order TPMs and logs list them (TPM_ALG_ID ascending). */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ["sha1", "sha256", "sha384", "sha512"];

/** TPM_ALG_ID of each bank (txt-tpm.md §8.3). */
export const TPM_ALG_ID: Readonly<Record<HashAlgorithm, number>> = { sha1: 0x0004, sha256: 0x000b, sha384: 0x000c, sha512: 0x000d };

/** Digest size in bytes of each bank (txt-tpm.md §8.3). */
export const DIGEST_SIZE: Readonly<Record<HashAlgorithm, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** PCRs 0-23 of the PC Client profile; both implementations have exactly 24. */
export const PCR_COUNT = 24;

/** Highest locality (4 = CPU microcode/hardware only, txt-tpm.md §5). */
export const MAX_LOCALITY = 4;

export type StartupType = "clear" | "state";

export interface Tpm {
  /** TPM2_Startup(CLEAR) (or STATE). A TPM that is already started (TPM_RC_INITIALIZE) is accepted. */
  startup(type?: StartupType): Promise<void>;
  /** TPM2_PCR_Extend with an empty password session, at `locality` (0-4) */
  pcrExtend(pcr: number, locality: number, digests: ReadonlyMap<HashAlgorithm, Uint8Array>): Promise<void>;
  /** TPM2_PCR_Read with a PCR selection; values per bank per PCR */
  pcrRead(pcrs: readonly number[], banks: readonly HashAlgorithm[]): Promise<Map<HashAlgorithm, Map<number, Uint8Array>>>;
  /** TPM2_GetCapability(TPM_CAP_PCRS): the allocated banks */
  activeBanks(): Promise<HashAlgorithm[]>;
  /** TPM2_GetRandom; loops until `count` bytes are collected (one answer is capped at 64 bytes) */
  getRandom(count: number): Promise<Uint8Array>;
  /**
   * The DRTM sequence at locality 4 (TPM_HASH_START / DATA / END as the hardware interface and
   * swtpm's control channel do it): resets PCRs 17-22 and extends PCR 17 with the hash of `data`
   * in every bank
   */
  drtmHash(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** "embedded" or "tcp://host:port" */
  readonly description: string;
}
