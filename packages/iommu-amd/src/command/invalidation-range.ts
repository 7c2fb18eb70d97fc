import { NovakitError } from "@novakit/kernel-core";

/** An inclusive range of DMA addresses (page granular: first is 4 KiB aligned, last ends a page). */
export interface DmaAddressRange {
  readonly first: bigint;
  readonly last: bigint;
}

const PAGE = 0x1000n;
const ADDRESS_LIMIT = 1n << 64n;
/** §5.3: a first zero bit at 51 or above means the whole address space */
const WHOLE_SPACE_BIT = 51;

/**
 * The lowest clear bit of a 64-bit address at or above bit 12, 64 when there is none, from the
 * address's 32-bit halves: NOVA's driver invalidates with the all-ones address tens of thousands
 * of times at boot, and a bit-by-bit BigInt scan cost ~2 µs each.
 */
function firstZeroBitFrom12(address: bigint): number {
  // the clear bits of 31:12 (and of 63:32) as set bits; x & -x keeps the lowest, clz32 finds it
  const lowClear = ~Number(BigInt.asUintN(32, address)) & ~0xfff;
  if (lowClear !== 0) return 31 - Math.clz32(lowClear & -lowClear);
  const highClear = ~Number(BigInt.asUintN(32, address >> 32n));
  return highClear === 0 ? 64 : 63 - Math.clz32(highClear & -highClear);
}

/**
 * The range an INVALIDATE_IOMMU_PAGES / INVALIDATE_IOTLB_PAGES command names (reference/amd-iommu.md
 * §5.3): S=0 is the one 4 KiB page at `address`; S=1 encodes the size in the address like a
 * NextLevel-7 PTE: the first 0 bit at or above bit 12 is z, the size 2^(z+1), the range the
 * naturally aligned block of that size containing the address. A first zero at bit 51 or above
 * (or none: NOVA's all-ones address) is the whole 64-bit space.
 */
export function decodeInvalidationRange(address: bigint, size: boolean): DmaAddressRange {
  const page = address & ~(PAGE - 1n);
  if (!size) return { first: page, last: page + PAGE - 1n };
  const z = firstZeroBitFrom12(address);
  if (z >= WHOLE_SPACE_BIT) return { first: 0n, last: ADDRESS_LIMIT - 1n };
  const bytes = 1n << BigInt(z + 1);
  const first = address & ~(bytes - 1n);
  return { first, last: first + bytes - 1n };
}

/**
 * The (address, S) pair that covers [first, last] with the smallest naturally aligned power-of-two
 * block, built as Linux does: every bit below the most significant bit in which first and last
 * differ is set (§5.3). A single page gives S=0.
 */
export function encodeInvalidationRange(range: DmaAddressRange): { readonly address: bigint; readonly size: boolean } {
  const { first, last } = range;
  if (first < 0n || last >= ADDRESS_LIMIT || last < first) {
    throw new NovakitError("NK-IOMMU-211", `invalidation range 0x${first.toString(16)}..0x${last.toString(16)} is empty or outside 64 bits`, { field: "range" });
  }
  const firstPage = first & ~(PAGE - 1n);
  const lastPage = last & ~(PAGE - 1n);
  if (firstPage === lastPage) return { address: firstPage, size: false };
  const differing = firstPage ^ lastPage;
  let msb = 0n;
  while (differing >> (msb + 1n) !== 0n) msb += 1n;
  if (msb >= BigInt(WHOLE_SPACE_BIT)) return { address: 0xffff_ffff_ffff_f000n, size: true };
  // block of 2^(msb+1): bits msb-1 .. 12 set, bit msb clear
  const block = 1n << (msb + 1n);
  const base = firstPage & ~(block - 1n);
  return { address: (base | ((1n << msb) - 1n)) & ~(PAGE - 1n), size: true };
}
