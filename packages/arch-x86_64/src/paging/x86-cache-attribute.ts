import { NovakitError, type CacheAttribute } from "@novakit/kernel-core";

/**
 * NOVA programs IA32_PAT so that PAT index = NOVA cache attribute: 0 WB, 1 WT, 2 WC, 3 UC, 4 WP
 * (bytes 06 04 01 00 05; indices 5-7 are 00 = UC). reference/paging.md §2.4 "Memory type
 * selection": with PCIDE=1 the root table is fetched with PAT[0], so PAT[0] must be WB.
 */
export const NOVA_IA32_PAT = 0x0000_0005_0001_0406n;

const PAT_INDEX: Readonly<Record<CacheAttribute, number>> = {
  WB: 0,
  WT: 1,
  WC: 2,
  UC: 3,
  WP: 4,
  // "DEV" is Arm's device memory; x86 has no such type, strong uncacheable is the equivalent
  DEV: 3,
};

/** x86 memory-type codes (PAT bytes and EPT bits 5:3): 0 UC, 1 WC, 4 WT, 5 WP, 6 WB. */
const MEMORY_TYPE_OF_CACHE: Readonly<Record<CacheAttribute, number>> = { WB: 6, WT: 4, WC: 1, UC: 0, WP: 5, DEV: 0 };

/** NOVA cache attribute -> PAT index (= PAT<<2 | PCD<<1 | PWT in a host leaf). */
export function patIndexOf(cache: CacheAttribute): number {
  return PAT_INDEX[cache];
}

/** PAT index -> NOVA cache attribute, through NOVA's PAT programming. */
export function cacheOfPatIndex(index: number): CacheAttribute {
  return cacheOfMemoryType(Number((NOVA_IA32_PAT >> BigInt(8 * (index & 7))) & 0xffn));
}

/** NOVA cache attribute -> x86 memory type (EPT bits 5:3, reference/paging.md §2.7). */
export function memoryTypeOf(cache: CacheAttribute): number {
  return MEMORY_TYPE_OF_CACHE[cache];
}

export function cacheOfMemoryType(type: number): CacheAttribute {
  switch (type) {
    case 6:
      return "WB";
    case 4:
      return "WT";
    case 1:
      return "WC";
    case 0:
      return "UC";
    case 5:
      return "WP";
    default:
      throw new NovakitError(
        "NK-MEM-011",
        `memory type ${type} is reserved`,
        { field: "memoryType" },
        "valid x86 memory types are 0 UC, 1 WC, 4 WT, 5 WP, 6 WB",
      );
  }
}
