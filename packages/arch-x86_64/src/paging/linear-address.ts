import { NovakitError } from "@novakit/kernel-core";

/** The indices a walk uses for a linear address (reference/paging.md §2.3), NOVA level order aside. */
export interface LinearAddressSplit {
  /** PML5 index (bits 56:48), only with 5-level paging */
  readonly pml5?: number;
  /** bits 47:39 */
  readonly pml4: number;
  /** bits 38:30 */
  readonly pdpt: number;
  /** bits 29:21 */
  readonly pd: number;
  /** bits 20:12 */
  readonly pt: number;
  /** bits 11:0 */
  readonly offset: number;
  /** the same indices root first (length = levels) */
  readonly indices: readonly number[];
}

const ADDRESS_LIMIT = 1n << 64n;

function checkLevels(levels: number): void {
  if (levels !== 4 && levels !== 5) {
    throw new NovakitError("NK-MEM-013", `${levels} paging levels: x86_64 has 4 or 5`, { field: "levels" });
  }
}

/**
 * paging.md §2.2: bits 63:47 (4-level) or 63:56 (5-level) all equal the top translated bit.
 * `address` is the unsigned 64-bit value, e.g. 0xFFFF_8000_0000_0000n.
 */
export function isCanonicalAddress(address: bigint, levels: 4 | 5): boolean {
  checkLevels(levels);
  if (address < 0n || address >= ADDRESS_LIMIT) return false;
  const upper = address >> BigInt(levels === 5 ? 56 : 47);
  return upper === 0n || upper === (1n << BigInt(levels === 5 ? 8 : 17)) - 1n;
}

/**
 * The input a page table sees for a canonical linear address: its low 48 (or 57) bits, so the
 * kernel half lands in root slots 256-511.
 */
export function tableInputOf(address: bigint, levels: 4 | 5): bigint {
  assertCanonical(address, levels);
  return address & ((1n << BigInt(levels === 5 ? 57 : 48)) - 1n);
}

/** Inverse of tableInputOf: sign-extend a 48- or 57-bit table input to a canonical address. */
export function canonicalAddressOf(input: bigint, levels: 4 | 5): bigint {
  checkLevels(levels);
  const bits = BigInt(levels === 5 ? 57 : 48);
  if (input < 0n || input >= 1n << bits) {
    throw new NovakitError("NK-MEM-013", `table input 0x${input.toString(16)} exceeds ${bits} bits`, { field: "input" });
  }
  return BigInt.asUintN(64, BigInt.asIntN(Number(bits), input));
}

export function splitLinearAddress(address: bigint, levels: 4 | 5): LinearAddressSplit {
  assertCanonical(address, levels);
  const index = (shift: bigint): number => Number((address >> shift) & 0x1ffn);
  const pml4 = index(39n);
  const pdpt = index(30n);
  const pd = index(21n);
  const pt = index(12n);
  const offset = Number(address & 0xfffn);
  if (levels === 5) {
    const pml5 = index(48n);
    return { pml5, pml4, pdpt, pd, pt, offset, indices: [pml5, pml4, pdpt, pd, pt] };
  }
  return { pml4, pdpt, pd, pt, offset, indices: [pml4, pdpt, pd, pt] };
}

function assertCanonical(address: bigint, levels: 4 | 5): void {
  if (!isCanonicalAddress(address, levels)) {
    throw new NovakitError(
      "NK-MEM-013",
      `linear address 0x${address.toString(16)} is not canonical for ${levels}-level paging`,
      { field: "address" },
      `bits 63:${levels === 5 ? 56 : 47} must all equal bit ${levels === 5 ? 56 : 47}`,
    );
  }
}
