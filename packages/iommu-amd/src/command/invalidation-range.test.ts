import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeInvalidationRange, encodeInvalidationRange } from "./invalidation-range.js";

/** reference/amd-iommu.md §5.3 read literally: scan for the first 0 bit at or above bit 12 */
function referenceDecode(address: bigint): { first: bigint; last: bigint } {
  let z = 12n;
  while (z < 64n && ((address >> z) & 1n) === 1n) z += 1n;
  if (z >= 51n) return { first: 0n, last: (1n << 64n) - 1n };
  const bytes = 1n << (z + 1n);
  const first = address & ~(bytes - 1n);
  return { first, last: first + bytes - 1n };
}

describe("decodeInvalidationRange (§5.3)", () => {
  it("decodes NOVA's all-ones address and the single-page and 2 MiB forms", () => {
    expect(decodeInvalidationRange(0xffff_ffff_ffff_f000n, true)).toEqual({ first: 0n, last: (1n << 64n) - 1n });
    expect(decodeInvalidationRange(0x4000_0123n, false)).toEqual({ first: 0x4000_0000n, last: 0x4000_0fffn });
    // bits 19:12 set, bit 20 clear: 2^21 bytes
    expect(decodeInvalidationRange(0x4000_0000n | 0xf_f000n, true)).toEqual({ first: 0x4000_0000n, last: 0x401f_ffffn });
    // bits 50:12 set, 51 clear: the whole space; bits 49:12 set, 50 clear: 2^51 bytes
    expect(decodeInvalidationRange((1n << 51n) - 0x1000n, true)).toEqual({ first: 0n, last: (1n << 64n) - 1n });
    expect(decodeInvalidationRange((1n << 50n) - 0x1000n, true)).toEqual({ first: 0n, last: (1n << 51n) - 1n });
  });

  it("agrees with the bit-by-bit reading of §5.3 for any address", () => {
    const runOfOnes = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 12, max: 64 })).map(([bits, ones]) => bits | (((1n << BigInt(ones)) - 1n) & ~0xfffn));
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), runOfOnes), (address) => {
        expect(decodeInvalidationRange(address, true)).toEqual(referenceDecode(address));
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips the ranges encodeInvalidationRange builds", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }), fc.integer({ min: 0, max: 40 }), (start, order) => {
        const size = 1n << BigInt(12 + order);
        const first = (start << 12n) & ~(size - 1n) & ((1n << 64n) - 1n);
        const encoded = encodeInvalidationRange({ first, last: first + size - 1n });
        const decoded = decodeInvalidationRange(encoded.address, encoded.size);
        expect(decoded.first <= first && decoded.last >= first + size - 1n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
