import type { PhysicalMemory } from "@novakit/kernel-core";
import type { DirectoryEntry } from "../cache/page-directory-cache.js";
import { DPT_ADDRESS_MASK, DPT_IR, DPT_IW, DPT_PR, nextLevelOf, NEXT_LEVEL_DEFAULT_LEAF, NEXT_LEVEL_EXPLICIT_SIZE } from "../dpt/amd-dpt-bits.js";

/**
 * The page-directory entries a walk passes on its way to the leaf for `page`, starting at the
 * level-`start.level` table (the DTE's root, or a table the PDE cache already knows), for filling
 * the PDE cache after a successful translation (reference/amd-iommu.md §4.2, §4.3: NextLevel 1-6
 * below the current level is a pointer; 0 and 7 are leaves; skipped levels are simply not there).
 * Only called after translateDma succeeded on the same memory, so every entry seen here is valid.
 */
export function directoryEntriesOf(memory: PhysicalMemory, page: number, start: DirectoryEntry): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  let { level, table, read, write } = start;
  while (level > 1) {
    const index = Math.floor(page / 2 ** (9 * (level - 1))) % 512;
    const entry = memory.read64(table + BigInt(index * 8));
    const next = nextLevelOf(entry);
    if ((entry & DPT_PR) === 0n || next === NEXT_LEVEL_DEFAULT_LEAF || next === NEXT_LEVEL_EXPLICIT_SIZE || next >= level) break;
    read &&= (entry & DPT_IR) !== 0n;
    write &&= (entry & DPT_IW) !== 0n;
    table = entry & DPT_ADDRESS_MASK;
    level = next;
    entries.push({ level, table, read, write });
  }
  return entries;
}
