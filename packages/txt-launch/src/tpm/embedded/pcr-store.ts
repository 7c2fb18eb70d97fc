import { extendDigest } from "../hash-algorithm.js";
import { DIGEST_SIZE, PCR_COUNT, type HashAlgorithm } from "../tpm.js";
import { startsAllOnes } from "./pcr-locality-rules.js";

/**
 * The PCR banks of the embedded TPM: 24 PCRs per allocated bank, the extend rule of txt-tpm.md
 * §9 (PCR_new = H(PCR_old ‖ digest)), and the pcrUpdateCounter that PCR_Read reports (§10.6).
 */
export class PcrStore {
  private readonly values = new Map<HashAlgorithm, Uint8Array[]>();
  private updates = 0;

  constructor(readonly banks: readonly HashAlgorithm[]) {
    this.clear();
  }

  get updateCounter(): number {
    return this.updates;
  }

  isAllocated(bank: HashAlgorithm): boolean {
    return this.values.has(bank);
  }

  /** Startup(CLEAR): PCR 0-16 and 23 zero, PCR 17-22 all-ones (txt-tpm.md §5). */
  clear(): void {
    for (const bank of this.banks) {
      this.values.set(
        bank,
        Array.from({ length: PCR_COUNT }, (_, pcr) => new Uint8Array(DIGEST_SIZE[bank]).fill(startsAllOnes(pcr) ? 0xff : 0x00)),
      );
    }
    this.updates = 0;
  }

  read(bank: HashAlgorithm, pcr: number): Uint8Array {
    return Uint8Array.from(this.bankValues(bank)[pcr] ?? new Uint8Array(0));
  }

  /** Extends every allocated bank listed in `digests`; banks not allocated are skipped. */
  extend(pcr: number, digests: Iterable<readonly [HashAlgorithm, Uint8Array]>): void {
    for (const [bank, digest] of digests) {
      const values = this.values.get(bank);
      if (values === undefined) continue;
      values[pcr] = extendDigest(bank, values[pcr] ?? new Uint8Array(DIGEST_SIZE[bank]), digest);
    }
    this.updates = (this.updates + 1) >>> 0;
  }

  /** Sets the PCR to zero in every bank (TPM2_PCR_Reset, the DRTM reset). */
  reset(pcr: number): void {
    for (const [bank, values] of this.values) values[pcr] = new Uint8Array(DIGEST_SIZE[bank]);
    this.updates = (this.updates + 1) >>> 0;
  }

  private bankValues(bank: HashAlgorithm): Uint8Array[] {
    const values = this.values.get(bank);
    if (values === undefined) throw new RangeError(`bank ${bank} is not allocated`); // callers check isAllocated first
    return values;
  }
}
