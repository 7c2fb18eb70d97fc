import type { IommuUnit, Platform } from "@novakit/kernel-core";
import { parseIvrs } from "../ivrs/parse-ivrs.js";
import { selectIvhdBlocks } from "../ivrs/select-ivhd-blocks.js";
import type { IvhdBlock } from "../ivrs/ivrs-types.js";
import { hatsOf } from "./mmio-registers.js";

/** where IVRS errors point: the table as the platform carries it */
const IVRS_SOURCE = "platform.firmware.tables IVRS";

/** The IVHD blocks NOVA creates SMMUs from (nova.md §4.2), or undefined when the firmware has no IVRS. */
export function firmwareIvhdBlocks(platform: Platform): readonly IvhdBlock[] | undefined {
  const table = platform.firmware.tables.find((candidate) => candidate.signature === "IVRS");
  if (table === undefined) return undefined;
  return selectIvhdBlocks(parseIvrs(table.bytes, IVRS_SOURCE));
}

/** platform.iommus entries for the selected blocks (the arch plugin leaves IOMMUs to IOMMU plugins). */
export function iommuUnitsOf(blocks: readonly IvhdBlock[]): IommuUnit[] {
  return blocks.map((block, index) => ({
    kind: "amd-vi",
    baseAddress: block.baseAddress,
    segment: block.pciSegment,
    deviceId: block.deviceId,
    source: `IVRS IVHD type 0x${block.type.toString(16)} (selected #${index})`,
  }));
}

/**
 * NOVA's ptl = min(5, 4 + HATS) (nova.md §4.6 step 2), over every unit: one DMA space may be
 * used behind any of them, so its table may not be deeper than the shallowest unit walks.
 * A 10h block carries no EFR: NOVA takes it as 0, i.e. HATS 0 and 4 levels.
 */
export function novaPageTableLevels(blocks: readonly IvhdBlock[]): number {
  let levels = 5;
  for (const block of blocks) levels = Math.min(levels, 4 + Math.min(hatsOf(block.efr ?? 0n), 2));
  return levels;
}
