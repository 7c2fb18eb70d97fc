import type { SeededRandom } from "@novakit/kernel-core";

/** One element of a non-empty list, uniformly. */
export function pickOne<T>(random: SeededRandom, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("pickOne: empty list");
  return items[random.below(items.length)] as T;
}

/** true with probability 1 / `outOf` */
export function oneIn(random: SeededRandom, outOf: number): boolean {
  return random.below(outOf) === 0;
}

/**
 * A small count skewed towards 1 (1 half of the time, 2 a quarter, ... up to `max`): most
 * mutants should stay close to their parent, a few should wander.
 */
export function skewedCount(random: SeededRandom, max: number): number {
  let count = 1;
  while (count < max && oneIn(random, 2)) count++;
  return count;
}
