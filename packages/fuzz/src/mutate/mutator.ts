import type { SeededRandom } from "@novakit/kernel-core";
import { BYTE_MUTATIONS, type MutationContext } from "./byte-mutations.js";
import type { InputStructure } from "./input-structure.js";
import { oneIn, pickOne, skewedCount } from "./random-choice.js";

/** At most this many mutations are stacked on one parent (libFuzzer's default is 5). */
const MAX_STACKED_MUTATIONS = 6;

/**
 * Turns a corpus entry into a mutant. For a target that describes its format, half of the
 * mutants come from its own structure-aware mutation; the others (and all mutants of other
 * targets) get 1-6 stacked byte mutations (skewed towards 1), then, for half of them, the
 * target's repair.
 * A pure function of (parent, corpus, PRNG state): the same seed gives the same mutants.
 */
export class Mutator {
  private readonly dictionary: readonly Uint8Array[];

  constructor(
    private readonly structure: InputStructure | undefined,
    /** mutants longer than this are cut: stacked insertions would otherwise grow forever */
    private readonly maxLength: number,
  ) {
    const encoder = new TextEncoder();
    this.dictionary = (structure?.dictionary ?? []).map((token) => (typeof token === "string" ? encoder.encode(token) : token));
  }

  mutate(parent: Uint8Array, corpus: readonly Uint8Array[], random: SeededRandom): Uint8Array {
    const context: MutationContext = { random, others: corpus, dictionary: this.dictionary };
    const structured = this.structure?.mutate !== undefined && oneIn(random, 2) ? this.structure.mutate(parent, random) : undefined;
    if (structured !== undefined) return structured.length > this.maxLength ? structured.slice(0, this.maxLength) : structured;
    let mutant = parent;
    for (let count = skewedCount(random, MAX_STACKED_MUTATIONS); count > 0; count--) {
      mutant = pickOne(random, BYTE_MUTATIONS)(mutant, context);
    }
    if (mutant.length > this.maxLength) mutant = mutant.slice(0, this.maxLength);
    const repair = this.structure?.repair;
    if (repair !== undefined && oneIn(random, 2)) mutant = repair.call(this.structure, mutant, random);
    // every mutation may return its input unchanged (e.g. a flip of an empty input); hand the
    // target a copy then, so a parser that writes into its input cannot alter a corpus entry
    return mutant === parent ? parent.slice() : mutant;
  }
}
