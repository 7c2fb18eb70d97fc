import { NovakitError } from "@novakit/kernel-core";
import { isHashAlgorithm, requireDigestSize } from "./hash-algorithm.js";
import { MAX_LOCALITY, PCR_COUNT, type HashAlgorithm } from "./tpm.js";
import { TpmDiagnostic } from "./tpm-diagnostics.js";

/**
 * Checks of the arguments of the Tpm interface, shared by both implementations, so a caller
 * mistake is NK-TPM-005 before any byte reaches a TPM (and never a half-sent command).
 */
export function requirePcrIndex(pcr: number, field = "pcr"): void {
  if (!Number.isInteger(pcr) || pcr < 0 || pcr >= PCR_COUNT) {
    throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `PCR index ${pcr} is not in 0..${PCR_COUNT - 1}`, { field });
  }
}

export function requireLocality(locality: number): void {
  if (!Number.isInteger(locality) || locality < 0 || locality > MAX_LOCALITY) {
    throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `locality ${locality} is not in 0..${MAX_LOCALITY}`, { field: "locality" });
  }
}

export function requireBank(bank: string, field: string): asserts bank is HashAlgorithm {
  if (!isHashAlgorithm(bank)) {
    throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `unknown PCR bank "${bank}" (sha1, sha256, sha384 or sha512)`, { field });
  }
}

export function requireExtendDigests(digests: ReadonlyMap<HashAlgorithm, Uint8Array>): void {
  if (digests.size === 0) throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, "PCR_Extend needs at least one digest", { field: "digests" });
  for (const [bank, digest] of digests) {
    requireBank(bank, "digests");
    requireDigestSize(bank, digest, `digests.${bank}`);
  }
}

/** Distinct, valid PCRs and banks, neither list empty. */
export function requirePcrReadSelection(pcrs: readonly number[], banks: readonly HashAlgorithm[]): void {
  if (pcrs.length === 0) throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, "PCR_Read needs at least one PCR", { field: "pcrs" });
  if (banks.length === 0) throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, "PCR_Read needs at least one bank", { field: "banks" });
  pcrs.forEach((pcr, index) => requirePcrIndex(pcr, `pcrs[${index}]`));
  banks.forEach((bank, index) => requireBank(bank, `banks[${index}]`));
  if (new Set(pcrs).size !== pcrs.length) throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, "PCR_Read lists a PCR twice", { field: "pcrs" });
  if (new Set(banks).size !== banks.length) throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, "PCR_Read lists a bank twice", { field: "banks" });
}

export function requireByteCount(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > 0x10000) {
    throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `random byte count ${count} is not in 0..65536`, { field: "count" });
  }
}
