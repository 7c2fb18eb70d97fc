/**
 * Bit positions of an AMD I/O page-table entry, PDE and PTE alike (reference/amd-iommu.md §4.2;
 * NOVA's DPT row in nova.md §3.2). Shared by the radix-engine format and the DMA walk.
 */
export const DPT_PR = 1n << 0n;
/** accessed: hardware-set with HAD; NOVA pre-sets it in tables and leaves */
export const DPT_A = 1n << 5n;
/** dirty (leaves only): NOVA pre-sets it in leaves */
export const DPT_D = 1n << 6n;
export const DPT_NEXT_LEVEL_SHIFT = 9n;
export const DPT_NEXT_LEVEL_MASK = 7n;
/** bits 51:12: next-table or page address */
export const DPT_ADDRESS_MASK = 0x000f_ffff_ffff_f000n;
/** U: untranslated access only (ATS attribute, leaves) */
export const DPT_U = 1n << 59n;
/** FC: force coherent (leaves) */
export const DPT_FC = 1n << 60n;
export const DPT_IR = 1n << 61n;
export const DPT_IW = 1n << 62n;
/** NextLevel value of a leaf of the level's default size (§4.4) */
export const NEXT_LEVEL_DEFAULT_LEAF = 0;
/** NextLevel value of a leaf whose size is encoded in its address field (§4.4) */
export const NEXT_LEVEL_EXPLICIT_SIZE = 7;
/** The deepest I/O page table: Mode 6 (amd-iommu.md §4.1). */
export const MAX_DPT_LEVELS = 6;

/** NextLevel (bits 11:9) of an entry. */
export function nextLevelOf(entry: bigint): number {
  return Number((entry >> DPT_NEXT_LEVEL_SHIFT) & DPT_NEXT_LEVEL_MASK);
}
