import type { SeededRandom } from "@novakit/kernel-core";
import { INTERESTING_32 } from "../mutate/interesting-values.js";
import { oneIn, pickOne } from "../mutate/random-choice.js";

/** FDT header (reference/platform.md §1.1): big-endian u32 off_dt_struct at 0x08, size_dt_struct at 0x24 */
const OFF_DT_STRUCT = 0x08;
const SIZE_DT_STRUCT = 0x24;
const HEADER_SIZE = 0x28;
/** structure block tokens (reference/platform.md §1.2) */
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;

/** cell values discovery code must survive: counts, phandles, interrupt types, sizes */
const CELL_VALUES: readonly number[] = [...INTERESTING_32, 2, 3, 4, 8, 0x10, 0x40, 0x8000_0001];

/** Where each property's value lies in the blob: [offset, length]. Undefined when the framing is broken. */
function propertyValues(bytes: Uint8Array): (readonly [offset: number, length: number])[] | undefined {
  if (bytes.length < HEADER_SIZE) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = view.getUint32(OFF_DT_STRUCT, false);
  const end = Math.min(bytes.length, start + view.getUint32(SIZE_DT_STRUCT, false));
  const values: (readonly [number, number])[] = [];
  let offset = start;
  while (offset + 4 <= end) {
    const token = view.getUint32(offset, false);
    offset += 4;
    if (token === FDT_BEGIN_NODE) {
      const nul = bytes.indexOf(0, offset);
      if (nul < 0 || nul >= end) return undefined;
      offset = (nul + 1 + 3) & ~3;
    } else if (token === FDT_PROP) {
      if (offset + 8 > end) return undefined;
      const length = view.getUint32(offset, false);
      offset += 8;
      if (offset + length > end) return undefined;
      values.push([offset, length]);
      offset = (offset + length + 3) & ~3;
    } else if (token === FDT_END) {
      return values;
    } else if (token !== FDT_END_NODE && token !== FDT_NOP) {
      return undefined;
    }
  }
  return values;
}

/**
 * Changes one property's value and nothing else: a cell set to an edge value, a byte changed, or
 * the value cut shorter by 4 bytes with the length field agreeing (the structure block is
 * closed up, so the framing stays valid). Mutants get past the FDT parser into discovery
 * (reg, interrupts, #address-cells, phandles, compatible strings), which byte mutations seldom do.
 */
export function mutateFdtProperty(parent: Uint8Array, random: SeededRandom): Uint8Array | undefined {
  const values = propertyValues(parent);
  if (values === undefined || values.length === 0) return undefined;
  const [offset, length] = pickOne(random, values);
  if (length === 0) return undefined;
  const bytes = parent.slice();
  const view = new DataView(bytes.buffer);
  const choice = random.below(3);
  if (choice === 0 && length >= 4) {
    view.setUint32(offset + 4 * random.below(length >> 2), oneIn(random, 4) ? random.nextU32() : pickOne(random, CELL_VALUES), false);
    return bytes;
  }
  if (choice === 1 || length < 4) {
    bytes[offset + random.below(length)] = oneIn(random, 2) ? 0 : random.below(256);
    return bytes;
  }
  // drop the last cell: the value gets shorter, the blob 4 bytes smaller, every offset after it moves
  view.setUint32(offset - 8, length - 4, false);
  const removeAt = offset + ((length - 4 + 3) & ~3);
  const shorter = new Uint8Array(bytes.length - 4);
  shorter.set(bytes.subarray(0, removeAt));
  shorter.set(bytes.subarray(removeAt + 4), removeAt);
  const shorterView = new DataView(shorter.buffer);
  shorterView.setUint32(0x04, shorter.length, false); // totalsize
  shorterView.setUint32(SIZE_DT_STRUCT, shorterView.getUint32(SIZE_DT_STRUCT, false) - 4, false);
  // off_dt_strings (0x0C) and off_mem_rsvmap (0x10) move when they lie after the removed bytes
  for (const field of [0x0c, 0x10]) {
    const value = shorterView.getUint32(field, false);
    if (value > removeAt) shorterView.setUint32(field, value - 4, false);
  }
  return shorter;
}
