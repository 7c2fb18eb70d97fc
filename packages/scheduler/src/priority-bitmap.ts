/** NOVA has 128 priorities, 0..127 (reference/nova.md §7). */
export const NOVA_PRIORITY_COUNT = 128;
export const NOVA_HIGHEST_PRIORITY = NOVA_PRIORITY_COUNT - 1;

const BITS_PER_WORD = 32;
const WORD_COUNT = NOVA_PRIORITY_COUNT / BITS_PER_WORD;

/**
 * Which of the 128 priorities have a non-empty ready queue, as four 32-bit words.
 *
 * NOVA itself keeps `prio_top` and walks it down linearly when a queue empties
 * (reference/nova.md §7: "tracks the highest non-empty priority"); a bitmap gives the same
 * answer in O(1) (at most four Math.clz32 calls), so pickNext stays constant time even when
 * the only ready SCs are the idle ones at priority 0.
 */
export class PriorityBitmap {
  private readonly words = new Uint32Array(WORD_COUNT);

  set(priority: number): void {
    const word = priority >>> 5;
    this.words[word] = (this.words[word]! | (1 << (priority & 31))) >>> 0;
  }

  clear(priority: number): void {
    const word = priority >>> 5;
    this.words[word] = (this.words[word]! & ~(1 << (priority & 31))) >>> 0;
  }

  has(priority: number): boolean {
    return (this.words[priority >>> 5]! & (1 << (priority & 31))) !== 0;
  }

  /** The highest priority whose bit is set, or -1 when none is. */
  highest(): number {
    for (let word = WORD_COUNT - 1; word >= 0; word--) {
      const bits = this.words[word]!;
      if (bits !== 0) return word * BITS_PER_WORD + (BITS_PER_WORD - 1 - Math.clz32(bits));
    }
    return -1;
  }

  isEmpty(): boolean {
    return this.highest() === -1;
  }
}
