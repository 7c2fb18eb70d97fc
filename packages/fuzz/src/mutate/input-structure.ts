import type { SeededRandom } from "@novakit/kernel-core";
import type { FuzzTarget } from "../fuzz-target.js";

/**
 * Cheap knowledge of an input format that a target may offer the mutator. Without it most
 * mutants of a checksummed table die at the checksum check and the parser behind it is never
 * reached; with it the mutator can make a mutant plausible again.
 */
export interface InputStructure {
  /**
   * tokens to insert or overwrite with: JSON keywords, table signatures, field names (strings are
   * written as UTF-8; binary tokens such as big-endian command codes are given as bytes)
   */
  readonly dictionary?: readonly (string | Uint8Array)[];
  /**
   * Makes a mutant plausible again (fix a checksum, make a length field agree with the buffer).
   * Applied to half of the mutants, so the checks it defeats are still fuzzed themselves.
   */
  repair?(input: Uint8Array, random: SeededRandom): Uint8Array;
  /**
   * A mutation that knows the format (change one JSON value, one byte inside one table of a
   * text dump), used instead of the byte mutations for half of the mutants. Returns undefined
   * when the parent is not well-formed enough to apply it; byte mutations are used then.
   */
  mutate?(parent: Uint8Array, random: SeededRandom): Uint8Array | undefined;
}

/** A FuzzTarget that also describes its input format (the FuzzTarget contract is unchanged). */
export interface StructuredFuzzTarget extends FuzzTarget {
  readonly structure?: InputStructure;
}

export function structureOf(target: FuzzTarget): InputStructure | undefined {
  return (target as StructuredFuzzTarget).structure;
}
