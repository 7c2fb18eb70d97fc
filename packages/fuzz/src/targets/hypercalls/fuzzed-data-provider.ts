/**
 * A small FuzzedDataProvider (after libFuzzer's): reads the input bytes front to back as a stream
 * of decisions. When the bytes run out every read yields 0, so any byte string is a complete,
 * valid program and a mutator's truncations stay meaningful.
 */
export class FuzzedDataProvider {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return Math.max(0, this.bytes.length - this.offset);
  }

  byte(): number {
    const value = this.bytes[this.offset] ?? 0;
    this.offset++;
    return value;
  }

  /** a little-endian 16-bit value */
  u16(): number {
    return this.byte() | (this.byte() << 8);
  }

  /** an integer in [0, bound) */
  below(bound: number): number {
    return bound <= 256 ? this.byte() % bound : this.u16() % bound;
  }

  /** true with probability percent/100 (in steps of 1/256) */
  chance(percent: number): boolean {
    return this.byte() < Math.round((percent * 256) / 100);
  }
}
