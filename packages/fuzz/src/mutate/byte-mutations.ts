import { concatBytes, type SeededRandom } from "@novakit/kernel-core";
import { INTERESTING_16, INTERESTING_32, INTERESTING_8 } from "./interesting-values.js";
import { oneIn, pickOne } from "./random-choice.js";

/**
 * What a single mutation may look at besides the input and the PRNG: the other corpus entries
 * (for splicing) and the target's dictionary of tokens.
 */
export interface MutationContext {
  readonly random: SeededRandom;
  readonly others: readonly Uint8Array[];
  readonly dictionary: readonly Uint8Array[];
}

/** One byte-level mutation; returns a new array (the input is never modified). */
export type ByteMutation = (input: Uint8Array, context: MutationContext) => Uint8Array;

function position(input: Uint8Array, random: SeededRandom): number {
  return input.length === 0 ? 0 : random.below(input.length);
}

/** a chunk length that is usually short (1-8) and sometimes up to a quarter of the input */
function chunkLength(input: Uint8Array, random: SeededRandom): number {
  const large = Math.max(1, input.length >> 2);
  return oneIn(random, 4) ? 1 + random.below(large) : 1 + random.below(8);
}

function writeUint(bytes: Uint8Array, at: number, width: 1 | 2 | 4, value: number, bigEndian: boolean): void {
  for (let i = 0; i < width && at + i < bytes.length; i++) {
    const shift = 8 * (bigEndian ? width - 1 - i : i);
    bytes[at + i] = (value >>> shift) & 0xff;
  }
}

function readUint(bytes: Uint8Array, at: number, width: 1 | 2 | 4, bigEndian: boolean): number {
  let value = 0;
  for (let i = 0; i < width; i++) {
    const byte = at + i < bytes.length ? (bytes[at + i] as number) : 0;
    value += byte * 2 ** (8 * (bigEndian ? width - 1 - i : i));
  }
  return value;
}

const flipBit: ByteMutation = (input, { random }) => {
  if (input.length === 0) return input;
  const bytes = input.slice();
  const at = position(bytes, random);
  bytes[at] = (bytes[at] as number) ^ (1 << random.below(8));
  return bytes;
};

const randomByte: ByteMutation = (input, { random }) => {
  if (input.length === 0) return Uint8Array.of(random.below(256));
  const bytes = input.slice();
  bytes[position(bytes, random)] = random.below(256);
  return bytes;
};

/** overwrite 1, 2 or 4 bytes with an interesting value, little- or big-endian */
const interestingValue: ByteMutation = (input, { random }) => {
  if (input.length === 0) return input;
  const bytes = input.slice();
  const width = pickOne(random, [1, 2, 4] as const);
  const list = width === 1 ? INTERESTING_8 : width === 2 ? INTERESTING_16 : INTERESTING_32;
  writeUint(bytes, position(bytes, random), width, pickOne(random, list), oneIn(random, 2));
  return bytes;
};

/** add or subtract a small amount to a 1/2/4-byte field: counts and lengths off by one */
const arithmetic: ByteMutation = (input, { random }) => {
  if (input.length === 0) return input;
  const bytes = input.slice();
  const width = pickOne(random, [1, 2, 4] as const);
  const bigEndian = oneIn(random, 2);
  const at = position(bytes, random);
  const delta = (1 + random.below(35)) * (oneIn(random, 2) ? 1 : -1);
  const modulus = 2 ** (8 * width);
  writeUint(bytes, at, width, (((readUint(bytes, at, width, bigEndian) + delta) % modulus) + modulus) % modulus, bigEndian);
  return bytes;
};

/**
 * write the input's own length, ±1..4, as a 16- or 32-bit field somewhere: the shape of most
 * length-field bugs (a length that is one past the buffer, or just short of it)
 */
const lengthValue: ByteMutation = (input, { random }) => {
  if (input.length < 2) return input;
  const bytes = input.slice();
  const width = pickOne(random, [2, 4] as const);
  const at = position(bytes, random) & ~(width - 1);
  const value = Math.max(0, bytes.length + random.below(9) - 4);
  writeUint(bytes, at, width, value, oneIn(random, 2));
  return bytes;
};

const insertRandomChunk: ByteMutation = (input, { random }) => {
  const at = input.length === 0 ? 0 : random.below(input.length + 1);
  const chunk = new Uint8Array(chunkLength(input, random));
  const fill = oneIn(random, 2) ? random.below(256) : -1;
  for (let i = 0; i < chunk.length; i++) chunk[i] = fill >= 0 ? fill : random.below(256);
  return concat(input.subarray(0, at), chunk, input.subarray(at));
};

const deleteChunk: ByteMutation = (input, { random }) => {
  if (input.length < 2) return input;
  const at = random.below(input.length);
  const length = Math.min(chunkLength(input, random), input.length - at);
  return concat(input.subarray(0, at), input.subarray(at + length));
};

/** copy a chunk of the input to another place, inserting it (a repeated record) */
const duplicateChunk: ByteMutation = (input, { random }) => {
  if (input.length === 0) return input;
  const from = random.below(input.length);
  const chunk = input.slice(from, from + chunkLength(input, random));
  const to = random.below(input.length + 1);
  return concat(input.subarray(0, to), chunk, input.subarray(to));
};

/** copy a chunk of the input over another place (same length) */
const overwriteChunk: ByteMutation = (input, { random }) => {
  if (input.length < 2) return input;
  const bytes = input.slice();
  const from = random.below(bytes.length);
  const length = Math.min(chunkLength(input, random), bytes.length - from);
  bytes.copyWithin(random.below(bytes.length - length + 1), from, from + length);
  return bytes;
};

/** the head of this input joined to the tail of another corpus entry */
const splice: ByteMutation = (input, { random, others }) => {
  if (others.length === 0) return input;
  const other = pickOne(random, others);
  const cut = random.below(input.length + 1);
  const otherCut = random.below(other.length + 1);
  return concat(input.subarray(0, cut), other.subarray(otherCut));
};

const truncate: ByteMutation = (input, { random }) => (input.length === 0 ? input : input.slice(0, random.below(input.length)));

/** insert or overwrite with one of the target's tokens (JSON keywords, field names, signatures) */
const dictionaryToken: ByteMutation = (input, { random, dictionary }) => {
  if (dictionary.length === 0) return input;
  const token = pickOne(random, dictionary);
  const at = random.below(input.length + 1);
  if (oneIn(random, 2)) return concat(input.subarray(0, at), token, input.subarray(at));
  const bytes = input.slice();
  bytes.set(token.subarray(0, Math.max(0, bytes.length - at)), Math.min(at, bytes.length));
  return bytes;
};

/** every mutation, each equally likely; the order is part of the seed → mutant mapping */
export const BYTE_MUTATIONS: readonly ByteMutation[] = [
  flipBit,
  randomByte,
  interestingValue,
  arithmetic,
  lengthValue,
  insertRandomChunk,
  deleteChunk,
  duplicateChunk,
  overwriteChunk,
  splice,
  truncate,
  dictionaryToken,
];

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}
