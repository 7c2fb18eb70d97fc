import { createHash } from "node:crypto";

/**
 * The embedded TPM's random number generator. Deliberately deterministic: output block n is
 * SHA-256(seed ‖ n as u64 big-endian), so the same seed gives the same GetRandom bytes and a
 * simulated boot is byte-for-byte reproducible. It is NOT a cryptographic DRBG for secrets: the
 * embedded TPM models a measured launch, it protects nothing.
 */
export class DeterministicRandom {
  private counter = 0n;
  private pending: Uint8Array = new Uint8Array(0);
  private readonly seed: Uint8Array;

  constructor(seed: string | Uint8Array) {
    this.seed = typeof seed === "string" ? new TextEncoder().encode(seed) : Uint8Array.from(seed);
  }

  next(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      if (this.pending.length === 0) this.pending = this.block();
      const take = Math.min(count - filled, this.pending.length);
      out.set(this.pending.subarray(0, take), filled);
      this.pending = this.pending.subarray(take);
      filled += take;
    }
    return out;
  }

  private block(): Uint8Array {
    const counter = new Uint8Array(8);
    new DataView(counter.buffer).setBigUint64(0, this.counter, false);
    this.counter += 1n;
    return new Uint8Array(createHash("sha256").update(this.seed).update(counter).digest());
  }
}
