import type { DeviceDmaReach, DmaReachRange, PhysicalMemory } from "@novakit/kernel-core";
import {
  DPT_ADDRESS_MASK,
  DPT_IR,
  DPT_IW,
  DPT_PR,
  MAX_DPT_LEVELS,
  NEXT_LEVEL_DEFAULT_LEAF,
  NEXT_LEVEL_EXPLICIT_SIZE,
  nextLevelOf,
} from "../dpt/amd-dpt-bits.js";
import { decodeExplicitPageSize } from "../dpt/explicit-page-size.js";
import { DTE_BYTES } from "../device-table/device-table.js";

// DTE quadword 0 (reference/amd-iommu.md §3.1)
const DTE_V = 1n;
const DTE_TV = 2n;
const DTE_ROOT_MASK = 0x000f_ffff_ffff_f000n;
/** bits 6:2 and 63 of quadword 0 are reserved (§3.3): such an entry is illegal, every request aborts */
const DTE_Q0_RESERVED = (0x1fn << 2n) | (1n << 63n);
const ENTRIES_PER_TABLE = 512;

interface Access {
  readonly read: boolean;
  readonly write: boolean;
}

/**
 * What one device can reach, read from the bytes the hardware reads (reference/amd-iommu.md §3.4,
 * §4.3, §4.4): its device table entry in memory, then every present entry of the I/O page table
 * it points at, IR/IW ANDed along the path, skipped levels and NextLevel-7 leaves as the walk
 * treats them. Neither the driver's bookkeeping nor any cache is consulted. Contiguous runs with
 * the same permissions are merged.
 */
export function walkDeviceReach(memory: PhysicalMemory, deviceTableBase: bigint, sbdf: number, iommu: string, maxLevels: number): DeviceDmaReach {
  const q0 = memory.read64(deviceTableBase + BigInt((sbdf & 0xffff) * DTE_BYTES));
  if ((q0 & DTE_V) === 0n) return { sbdf, iommu, mode: "passthrough", ranges: [] };
  const mode = Number((q0 >> 9n) & 7n);
  if ((q0 & DTE_TV) === 0n || (q0 & DTE_Q0_RESERVED) !== 0n || mode === 7 || mode > maxLevels) return { sbdf, iommu, mode: "blocked", ranges: [] };
  const access: Access = { read: (q0 & DPT_IR) !== 0n, write: (q0 & DPT_IW) !== 0n };
  // Mode 0: untranslated, limited only by DTE.IR/IW (§3.4)
  if (mode === 0) return { sbdf, iommu, mode: access.read || access.write ? "passthrough" : "blocked", ranges: [] };
  const ranges: DmaReachRange[] = [];
  walkTable(memory, q0 & DTE_ROOT_MASK, mode, 0n, access, ranges);
  return { sbdf, iommu, mode: "translated", ranges };
}

/** bytes one entry of an AMD level-`level` table covers: 2^(12 + 9(level-1)) */
function entrySpan(level: number): bigint {
  return 1n << BigInt(12 + 9 * (level - 1));
}

function walkTable(memory: PhysicalMemory, table: bigint, level: number, iovaBase: bigint, parent: Access, ranges: DmaReachRange[]): void {
  const span = entrySpan(level);
  for (let index = 0; index < ENTRIES_PER_TABLE; index++) {
    const entry = memory.read64(table + BigInt(index * 8));
    if ((entry & DPT_PR) === 0n) continue;
    const access: Access = { read: parent.read && (entry & DPT_IR) !== 0n, write: parent.write && (entry & DPT_IW) !== 0n };
    const iova = iovaBase + BigInt(index) * span;
    const next = nextLevelOf(entry);
    if (next === NEXT_LEVEL_DEFAULT_LEAF) {
      // level 6 has no default-size leaf (§4.1): the walk faults there
      if (level === MAX_DPT_LEVELS) continue;
      addRange(ranges, iova, entry & DPT_ADDRESS_MASK & ~(span - 1n), span, access);
    } else if (next === NEXT_LEVEL_EXPLICIT_SIZE) {
      const explicit = decodeExplicitPageSize(entry);
      // §4.4: the size lies above this level's default and below the next level's, else the walk faults
      if (explicit.size <= span || explicit.size >= span << 9n) continue;
      addRange(ranges, iova, explicit.base | (iova & (explicit.size - 1n)), span, access);
    } else if (next < level) {
      // a skipping entry (§4.3 step 7): only addresses whose skipped index bits are 0 get through,
      // which is exactly the range the lower table covers from this slot's base
      walkTable(memory, entry & DPT_ADDRESS_MASK, next, iova, access, ranges);
    }
    // NextLevel >= level: an invalid encoding, the walk faults (§4.3 step 7)
  }
}

function addRange(ranges: DmaReachRange[], iova: bigint, physicalAddress: bigint, size: bigint, access: Access): void {
  if (!access.read && !access.write) return;
  const last = ranges[ranges.length - 1];
  if (
    last !== undefined &&
    last.iova + last.size === iova &&
    last.physicalAddress + last.size === physicalAddress &&
    last.read === access.read &&
    last.write === access.write
  ) {
    ranges[ranges.length - 1] = { ...last, size: last.size + size };
    return;
  }
  ranges.push({ iova, physicalAddress, size, read: access.read, write: access.write });
}
