import type { IvhdBlock, IvhdType, IvrsTable } from "./ivrs-types.js";

/**
 * NOVA's choice of IVHD blocks (nova.md §4.2): with IVinfo EFRSup, type 40h blocks first, then
 * 11h; type 10h always, last. Firmware describes one IOMMU once per flavour, so an IVHD whose
 * MMIO base address was already taken is skipped: the newest flavour wins.
 */
export function selectIvhdBlocks(ivrs: IvrsTable): IvhdBlock[] {
  const order: readonly IvhdType[] = ivrs.ivinfo.efrSupported ? [0x40, 0x11, 0x10] : [0x10];
  const selected: IvhdBlock[] = [];
  const bases = new Set<bigint>();
  for (const type of order) {
    for (const block of ivrs.blocks) {
      if (block.kind !== "ivhd" || block.type !== type) continue;
      if (bases.has(block.baseAddress)) continue;
      bases.add(block.baseAddress);
      selected.push(block);
    }
  }
  return selected;
}
