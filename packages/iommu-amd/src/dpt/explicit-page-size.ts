import { NovakitError } from "@novakit/kernel-core";
import { DPT_ADDRESS_MASK } from "./amd-dpt-bits.js";

/**
 * The NextLevel = 7 "explicit page size" leaf (reference/amd-iommu.md §4.4): starting at bit 12
 * the run of 1 bits in the address field ends at the first 0 bit z, and the page is 2^(z+1)
 * bytes; the page base is the address field with bits z:12 cleared.
 */
export interface ExplicitPageSize {
  /** page size in bytes (8 KiB or more) */
  readonly size: bigint;
  /** page base: the address field with the size bits cleared */
  readonly base: bigint;
}

/** Decode the page size and base held by the address field of a NextLevel = 7 leaf. */
export function decodeExplicitPageSize(entry: bigint): ExplicitPageSize {
  const field = entry & DPT_ADDRESS_MASK;
  let z = 12n;
  while (z < 52n && ((field >> z) & 1n) === 1n) z += 1n;
  const size = 1n << (z + 1n);
  return { size, base: field & ~((1n << (z + 1n)) - 1n) };
}

/**
 * The address field of a NextLevel = 7 leaf for a page of `size` bytes at `base`, as Linux
 * writes it: `(base | (size - 1)) & ~(size >> 1)` masked to bits 51:12 (§4.4).
 */
export function encodeExplicitPageSize(base: bigint, size: bigint): bigint {
  if (size < 0x2000n || (size & (size - 1n)) !== 0n || size > 1n << 52n) {
    throw new NovakitError(
      "NK-IOMMU-104",
      `explicit page size 0x${size.toString(16)} is not a power of two of at least 8 KiB`,
      { field: "size" },
      "4 KiB pages cannot use NextLevel = 7 (amd-iommu.md §4.4)",
    );
  }
  if (base < 0n || (base & (size - 1n)) !== 0n || (base & ~DPT_ADDRESS_MASK) !== 0n) {
    throw new NovakitError("NK-IOMMU-104", `page base 0x${base.toString(16)} is not a 52-bit address aligned to its size`, { field: "base" });
  }
  return (base | (size - 1n)) & ~(size >> 1n) & DPT_ADDRESS_MASK;
}
