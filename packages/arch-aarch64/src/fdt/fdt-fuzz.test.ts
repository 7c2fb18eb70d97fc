import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { platformFromFdt } from "../discovery/fdt-platform.js";
import { FIXTURE_DTBS, fixtureBytes } from "../test-support/fixtures.js";
import { parseFdt } from "./fdt-parse.js";

/** xorshift32: a seeded, deterministic source of mutations (test only). */
class Xorshift32 {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(limit: number): number {
    return this.next() % limit;
  }
}

const INPUTS = 10_000;
const SEED = 0x5eed_fd7;

/** One mutation of a fixture: bit flips, byte writes, header and token rewrites, truncation, shifts. */
function mutate(original: Uint8Array, random: Xorshift32): Uint8Array {
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const structOffset = view.getUint32(0x08, false);
  const structSize = view.getUint32(0x24, false);
  let bytes = original.slice();
  const writeU32 = (offset: number, value: number) => new DataView(bytes.buffer).setUint32(offset, value >>> 0, false);
  switch (random.below(7)) {
    case 0: {
      const at = random.below(bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 << random.below(8));
      break;
    }
    case 1:
      bytes[random.below(bytes.length)] = random.below(256);
      break;
    case 2: {
      const field = random.below(10) * 4;
      const old = view.getUint32(field, false);
      const choices = [random.next(), old + 4, old - 4, old + random.below(64), 0, 0xffff_ffff, bytes.length];
      writeU32(field, choices[random.below(choices.length)] as number);
      break;
    }
    case 3: {
      const at = structOffset + random.below(structSize / 4) * 4;
      writeU32(at, random.below(2) === 0 ? 1 + random.below(9) : random.next());
      break;
    }
    case 4:
      bytes = bytes.slice(0, random.below(bytes.length));
      break;
    case 5:
      for (let count = 2 + random.below(7); count > 0; count--) bytes[random.below(bytes.length)] = random.below(256);
      break;
    default: {
      // remove or duplicate one word inside the structure block, header unchanged
      const at = structOffset + random.below(structSize / 4) * 4;
      const shifted = new Uint8Array(bytes.length);
      if (random.below(2) === 0) {
        shifted.set(bytes.subarray(0, at));
        shifted.set(bytes.subarray(at + 4), at);
      } else {
        shifted.set(bytes.subarray(0, at + 4));
        shifted.set(bytes.subarray(at, bytes.length - 4), at + 4);
      }
      bytes = shifted;
    }
  }
  return bytes;
}

describe("mutated DTB fuzzing", () => {
  it(`${INPUTS} seeded mutations of the QEMU blobs give a platform or a NovakitError, never another exception`, () => {
    const random = new Xorshift32(SEED);
    const originals = FIXTURE_DTBS.map((name) => fixtureBytes(name));
    const codes = new Map<string, number>();
    let parsed = 0;
    let discovered = 0;
    for (let input = 0; input < INPUTS; input++) {
      const original = originals[input % originals.length] as Uint8Array;
      const bytes = mutate(original, random);
      try {
        const tree = parseFdt(bytes, `fuzz-${input}.dtb`);
        parsed++;
        platformFromFdt(tree, bytes, { name: `fuzz-${input}` });
        discovered++;
      } catch (error) {
        if (!(error instanceof NovakitError)) {
          throw new Error(`input ${input}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        }
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      }
    }
    // the mutations reach deep: many parse, many fail, in many different ways
    expect(discovered).toBeGreaterThan(INPUTS / 10);
    expect(parsed - discovered + [...codes.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(INPUTS / 10);
    expect(codes.size).toBeGreaterThanOrEqual(10);
  });
});
