import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isNovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { encodeIvrs } from "./encode-ivrs.js";
import type { IvrsTable } from "./ivrs-types.js";
import { parseIvrs } from "./parse-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));
const MUTATIONS = 20_000;
const SEED = 0x1f0a_2026;

/** mulberry32: a small seeded PRNG so every run mutates the same way */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixChecksum(bytes: Uint8Array): void {
  if (bytes.length < 10) return;
  bytes[9] = 0;
  let sum = 0;
  const length = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) >>> 0);
  for (let i = 0; i < length; i++) sum = (sum + bytes[i]!) & 0xff;
  bytes[9] = (0x100 - sum) & 0xff;
}

/** offsets of the length fields of blocks (walking by length as the parser does) */
function blockLengthOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  let offset = 48;
  while (offset + 4 <= bytes.length) {
    offsets.push(offset + 2);
    const length = view.getUint16(offset + 2, true);
    if (length === 0) break;
    offset += length;
  }
  return offsets;
}

function mutate(original: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  let bytes = original.slice();
  const view = () => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (pick(5)) {
    case 0: // flip bytes anywhere after the signature
      for (let flips = 1 + pick(4); flips > 0; flips--) bytes[4 + pick(bytes.length - 4)] = pick(256);
      break;
    case 1: {
      // truncate, and make the table length agree half the time so the cut is inside a block
      const length = pick(bytes.length);
      bytes = bytes.slice(0, length);
      if (random() < 0.5 && length >= 8) view().setUint32(4, length, true);
      break;
    }
    case 2: {
      // edit one block's length field
      const offsets = blockLengthOffsets(bytes);
      const at = offsets[pick(offsets.length)]!;
      const edits = [0, 1, 3, 4, 24, 31, 32, 40, 0xffff, pick(0x10000), view().getUint16(at, true) + pick(9) - 4];
      view().setUint16(at, Math.max(0, Math.min(0xffff, edits[pick(edits.length)]!)), true);
      break;
    }
    case 3: // edit the table length field
      view().setUint32(4, [0, 36, 44, 48, bytes.length - 1, bytes.length + 1, pick(0x1000)][pick(7)]!, true);
      break;
    default: {
      // a device entry type or F0h UID length: the variable-length paths
      const at = 48 + pick(Math.max(1, bytes.length - 48));
      bytes[at] = [0x00, 0x01, 0x40, 0x47, 0x48, 0x80, 0xf0, 0xff, pick(256)][pick(9)]!;
      break;
    }
  }
  if (random() < 0.5) fixChecksum(bytes);
  return bytes;
}

describe("IVRS decoder under mutation", () => {
  it(`gives a decode or a NovakitError for ${MUTATIONS} seeded mutations of the real tables, never another exception`, () => {
    const tables = readdirSync(FIXTURES)
      .filter((name) => name.endsWith(".ivrs.bin"))
      .sort()
      .map((name) => new Uint8Array(readFileSync(FIXTURES + name)));
    const random = prng(SEED);
    const outcomes = new Map<string, number>();
    const lossy: number[] = [];
    for (let i = 0; i < MUTATIONS; i++) {
      const bytes = mutate(tables[i % tables.length]!, random);
      let outcome: string;
      let decoded: IvrsTable | undefined;
      try {
        decoded = parseIvrs(bytes, `mutation-${i}`);
        outcome = "decoded";
      } catch (error) {
        if (!isNovakitError(error)) throw new Error(`mutation ${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        expect(error.location.file).toBe(`mutation-${i}`);
        outcome = error.code;
      }
      // whatever decodes must re-encode to exactly the bytes it came from: nothing was lost
      if (decoded !== undefined && !Buffer.from(encodeIvrs(decoded)).equals(Buffer.from(bytes.subarray(0, decoded.header.length)))) {
        lossy.push(i);
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    console.info(`IVRS fuzz: ${MUTATIONS} mutations -> ${[...outcomes].sort().map(([key, count]) => `${key} ${count}`).join(", ")}`);
    expect(lossy, "mutations whose decode does not re-encode to the same bytes").toEqual([]);
    const total = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(MUTATIONS);
    // the mutations reach deep: many decode, and every structural IVRS check fires
    expect(outcomes.get("decoded") ?? 0).toBeGreaterThan(1000);
    for (const code of ["NK-IVRS-001", "NK-IVRS-003", "NK-IVRS-004", "NK-IVRS-005", "NK-IVRS-006"]) expect(outcomes.get(code) ?? 0, code).toBeGreaterThan(0);
  });
});
