import {
  DEFAULT_ATTRIBUTES,
  EntryKind,
  MemoryPermission,
  NovakitError,
  PATH_PERMISSION_USER,
  type DecodedEntry,
  type MemoryAttributes,
  type PageTableFormat,
} from "@novakit/kernel-core";
import {
  DPT_A,
  DPT_ADDRESS_MASK,
  DPT_D,
  DPT_IR,
  DPT_IW,
  DPT_NEXT_LEVEL_SHIFT,
  DPT_PR,
  MAX_DPT_LEVELS,
  NEXT_LEVEL_DEFAULT_LEAF,
  NEXT_LEVEL_EXPLICIT_SIZE,
  nextLevelOf,
} from "./amd-dpt-bits.js";

export interface AmdDptFormatOptions {
  /** DTE Mode: number of levels, 1..6 (amd-iommu.md §4.1) */
  readonly levels: number;
}

/**
 * DMA has no cache attributes or key ids in this format (nova.md §3.2: "No memory attributes");
 * every leaf decodes to these.
 */
export const DPT_ATTRIBUTES: MemoryAttributes = DEFAULT_ATTRIBUTES;

/**
 * NOVA leaves map at most 1 GiB (nova.md §3.1: mll = 2); Linux never maps 512 GiB pages either
 * (amd-iommu.md §4.3 step 5, a hardware bug).
 */
const LARGEST_LEAF_LEVEL = 2;

/**
 * The AMD IOMMU "v1" I/O page table as a `PageTableFormat` (reference/amd-iommu.md §4.1-4.2,
 * nova.md §3.2 AMD DMA DPT row, §9.3). Engine level l (0-based, NOVA's numbering) is AMD level l+1.
 *
 * - Table entries: PR | A | IR | IW | NextLevel = the AMD level of the table pointed to, which is
 *   the engine level of the entry (nova.md §3.2: "PTAB = its level number"; amd-iommu.md §9.3).
 * - Leaves: PR | A | D (NOVA writes leaves with D/A/P set, nova.md §3.2) | IR for R | IW for W,
 *   NextLevel 0 (the level's default size: 4 KiB, 2 MiB, 1 GiB; §4.4: default sizes must use 0).
 *   A mapping without R and W is a hole: DMA has no execute permission.
 * - Tables restrict the leaves below by their IR/IW (permissions are ANDed, §4.3 step 4).
 *
 * The radix engine can neither skip levels nor hold NextLevel = 7 leaves (a replicated leaf's
 * output depends on more address bits than its slot covers), so `decode` rejects both with
 * NK-IOMMU-103; the DMA walk (translation/translate-dma.ts) honours them.
 */
export function createAmdDptFormat(options: AmdDptFormatOptions): PageTableFormat {
  const levels = options.levels;
  if (!Number.isInteger(levels) || levels < 1 || levels > MAX_DPT_LEVELS) {
    throw new NovakitError("NK-IOMMU-101", `an AMD I/O page table has 1 to 6 levels (DTE Mode), not ${levels}`, { field: "levels" });
  }
  const name = `amd-iommu-dpt-${levels}level`;
  const maxLeafLevel = Math.min(LARGEST_LEAF_LEVEL, levels - 1);
  const leafAlignment = (level: number): bigint => (1n << BigInt(12 + 9 * level)) - 1n;

  const encodingError = (message: string, field: string): NovakitError => new NovakitError("NK-IOMMU-102", `${name}: ${message}`, { field });
  const checkAddress = (address: bigint, level: number): void => {
    if (address < 0n || (address & ~DPT_ADDRESS_MASK) !== 0n || (address & leafAlignment(level)) !== 0n) {
      throw encodingError(`address 0x${address.toString(16)} is not a 52-bit address aligned for level ${level + 1}`, "address");
    }
  };
  const invalid = (entry: bigint, level: number, why: string): NovakitError =>
    new NovakitError(
      "NK-IOMMU-103",
      `${name}: level-${level + 1} entry 0x${entry.toString(16)}: ${why}`,
      { field: `level${level + 1}.NextLevel` },
      "translateDma walks such tables; the radix engine only holds NOVA-style tables",
    );

  const entryKind = (entry: bigint, level: number): EntryKind => {
    if ((entry & DPT_PR) === 0n) return EntryKind.HOLE;
    const next = nextLevelOf(entry);
    if (next === NEXT_LEVEL_DEFAULT_LEAF || next === NEXT_LEVEL_EXPLICIT_SIZE) return EntryKind.LEAF;
    if (next === level) return EntryKind.TABLE;
    throw invalid(entry, level, next > level ? `NextLevel ${next} is not below the entry's level` : `NextLevel ${next} skips levels`);
  };

  const format: PageTableFormat = {
    name,
    levels,
    // level 6 indexes bits 63:57: the walk covers the whole 64-bit DMA address space
    inputBits: Math.min(64, 12 + 9 * levels),
    outputBits: 52,
    maxLeafLevel,
    rootEntries: 512,
    linearLeafAddress: true,
    invalidation: Object.freeze({ upgrade: true, splinter: true, notPresent: false }),
    encodeTable(tableAddress: bigint, level: number): bigint {
      if (!Number.isInteger(level) || level < 1 || level >= levels) throw encodingError(`no table pointers at level ${level + 1}`, "level");
      checkAddress(tableAddress, 0);
      return tableAddress | DPT_PR | DPT_A | DPT_IR | DPT_IW | (BigInt(level) << DPT_NEXT_LEVEL_SHIFT);
    },
    encodeLeaf(frameAddress: bigint, level: number, permissions: number, _attributes: MemoryAttributes): bigint {
      if (!Number.isInteger(level) || level < 0 || level > maxLeafLevel) {
        throw encodingError(`no leaves at level ${level + 1} (largest leaf level ${maxLeafLevel + 1})`, "level");
      }
      checkAddress(frameAddress, level);
      let entry = frameAddress | DPT_PR | DPT_A | DPT_D;
      if ((permissions & MemoryPermission.R) !== 0) entry |= DPT_IR;
      if ((permissions & MemoryPermission.W) !== 0) entry |= DPT_IW;
      return (entry & (DPT_IR | DPT_IW)) === 0n ? 0n : entry;
    },
    decode(entry: bigint, level: number): DecodedEntry {
      const kind = entryKind(entry, level);
      if (kind === EntryKind.HOLE) return { type: "hole" };
      if (kind === EntryKind.TABLE) return { type: "table", address: entry & DPT_ADDRESS_MASK };
      if (nextLevelOf(entry) === NEXT_LEVEL_EXPLICIT_SIZE) throw invalid(entry, level, "NextLevel 7 (explicit page size) leaves are not held by the radix engine");
      let permissions = 0;
      if ((entry & DPT_IR) !== 0n) permissions |= MemoryPermission.R;
      if ((entry & DPT_IW) !== 0n) permissions |= MemoryPermission.W;
      return { type: "leaf", address: entry & DPT_ADDRESS_MASK & ~leafAlignment(level), permissions, attributes: DPT_ATTRIBUTES };
    },
    entryKind,
    entryAddress(entry: bigint, level: number): bigint {
      const address = entry & DPT_ADDRESS_MASK;
      return nextLevelOf(entry) === NEXT_LEVEL_DEFAULT_LEAF ? address & ~leafAlignment(level) : address;
    },
    pathPermissions(tableEntry: bigint): number {
      let allowed = PATH_PERMISSION_USER;
      if ((tableEntry & DPT_IR) !== 0n) allowed |= MemoryPermission.R;
      if ((tableEntry & DPT_IW) !== 0n) allowed |= MemoryPermission.W;
      return allowed;
    },
  };
  return Object.freeze(format);
}
