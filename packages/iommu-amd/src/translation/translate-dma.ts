import { NovakitError, type PhysicalMemory } from "@novakit/kernel-core";
import {
  DPT_ADDRESS_MASK,
  DPT_IR,
  DPT_IW,
  MAX_DPT_LEVELS,
  NEXT_LEVEL_DEFAULT_LEAF,
  NEXT_LEVEL_EXPLICIT_SIZE,
} from "../dpt/amd-dpt-bits.js";
import { decodeExplicitPageSize } from "../dpt/explicit-page-size.js";
import { DEVICE_TABLE_ENTRIES, DTE_BYTES } from "../device-table/device-table.js";
import { IoFaultFlag, ioFaultFlags, type DmaFault, type DmaFaultReason, type IoFaultCode } from "./io-fault.js";

export interface DmaRequest {
  readonly memory: PhysicalMemory;
  /** physical base of the segment's device table */
  readonly deviceTableBase: bigint;
  /** DeviceID (bus << 8 | device << 3 | function) */
  readonly bdf: number;
  /** the DMA (I/O virtual) address, 0 .. 2^64 - 1 */
  readonly iova: bigint;
  readonly write: boolean;
  /** deepest DTE Mode the IOMMU accepts: 4 + EFR.HATS (amd-iommu.md §4.1); 6 when absent */
  readonly maxLevels?: number;
  /**
   * DTE quadwords 0 and 1 to use instead of reading them from the device table: the unit's
   * device-table cache hands in the (possibly stale) copy it holds, as hardware would.
   */
  readonly dte?: readonly [bigint, bigint];
}

export type DmaTranslation =
  | {
      readonly ok: true;
      readonly physicalAddress: bigint;
      /** false for V=0 and Mode 0 pass-through */
      readonly translated: boolean;
    }
  | { readonly ok: false; readonly fault: DmaFault };

/** EFR.HATS (bits 11:10) -> deepest Mode: 4 + HATS; 11b is reserved (amd-iommu.md §4.1, §7.1). */
export function maxLevelsFromHats(hats: number): number {
  if (!Number.isInteger(hats) || hats < 0 || hats > 2) {
    throw new NovakitError("NK-IOMMU-108", `EFR.HATS ${hats} is not 0, 1 or 2 (11b is reserved: no host translation)`, { field: "hats" });
  }
  return 4 + hats;
}

// DTE quadword 0 (amd-iommu.md §3.1)
const DTE_V = 1n;
const DTE_TV = 2n;
const DTE_ROOT_MASK = 0x000f_ffff_ffff_f000n;
/** §3.3: QEMU's spec 3.x reserved mask for quadword 0: bits 6:2 and 63 */
const DTE_Q0_RESERVED = (0x1fn << 2n) | (1n << 63n);
const ADDRESS_LIMIT = 1n << 64n;
/** per AMD level L (index): the lowest address bit it indexes, 12 + 9 * (L - 1), as BigInt (no conversion per walk step) */
const LEVEL_SHIFT: readonly bigint[] = [0n, 12n, 21n, 30n, 39n, 48n, 57n];

/**
 * The DMA translation walk of one request through the device table and the I/O page table,
 * without an IOTLB (reference/amd-iommu.md §3.4 and §4.3-4.4):
 *
 * - DTE V=0: forwarded untranslated; V=1 TV=0: blocked (IO_PAGE_FAULT, reason DMA_BLOCKED; the
 *   reference leaves logging unconfirmed, VirtualBox and openvmm log it); reserved DTE bits or
 *   Mode 7 or a Mode deeper than `maxLevels`: ILLEGAL_DEV_TABLE_ENTRY with RZ.
 * - Mode 0: untranslated, allowed only by DTE.IR / DTE.IW.
 * - Mode 1-6: address bits at or above 12 + 9*Mode must be zero; each level: PR, IR/IW ANDed,
 *   NextLevel 0 (default-size leaf), 7 (explicit size, bounded by the level), or a lower level
 *   (skipped levels' address bits must be zero).
 *
 * Faults are returned, never thrown: this is the hot path of every simulated DMA.
 */
export function translateDma(request: DmaRequest): DmaTranslation {
  const { memory, bdf, iova, write } = request;
  if (!Number.isInteger(bdf) || bdf < 0 || bdf >= DEVICE_TABLE_ENTRIES) {
    throw new NovakitError("NK-IOMMU-107", `DeviceID ${bdf} is not a 16-bit bus:device.function`, { field: "bdf" });
  }
  const dteAddress = request.deviceTableBase + BigInt(bdf * DTE_BYTES);
  const q0 = request.dte === undefined ? memory.read64(dteAddress) : request.dte[0];
  if ((q0 & DTE_V) === 0n) return { ok: true, physicalAddress: iova, translated: false };
  const mode = Number((q0 >> 9n) & 7n);
  const rw = write ? IoFaultFlag.RW : 0;
  if ((q0 & DTE_Q0_RESERVED) !== 0n) return fault(request, dteAddress, "ILLEGAL_DEV_TABLE_ENTRY", "DTE_RESERVED_BITS", rw | IoFaultFlag.RZ, mode);
  if ((q0 & DTE_TV) === 0n) return fault(request, dteAddress, "IO_PAGE_FAULT", "DMA_BLOCKED", rw, mode);
  if (mode === 7 || mode > (request.maxLevels ?? MAX_DPT_LEVELS)) {
    return fault(request, dteAddress, "ILLEGAL_DEV_TABLE_ENTRY", "DTE_BAD_MODE", rw | IoFaultFlag.RZ, mode);
  }
  const allowRead = (q0 & DPT_IR) !== 0n;
  const allowWrite = (q0 & DPT_IW) !== 0n;
  if (iova < 0n || iova >= ADDRESS_LIMIT || (mode < MAX_DPT_LEVELS && mode > 0 && iova >> BigInt(12 + 9 * mode) !== 0n)) {
    return fault(request, dteAddress, "IO_PAGE_FAULT", "ADDRESS_OUT_OF_RANGE", rw, mode);
  }
  if (mode === 0) {
    if (write ? allowWrite : allowRead) return { ok: true, physicalAddress: iova, translated: false };
    return fault(request, dteAddress, "IO_PAGE_FAULT", "PERMISSION", rw | IoFaultFlag.PR | IoFaultFlag.PE, 0);
  }
  // permissions ANDed across the DTE and every level (§4.3 step 4)
  let permitted = write ? allowWrite : allowRead;
  const permissionBit = write ? DPT_IW : DPT_IR;
  let table = q0 & DTE_ROOT_MASK;
  let level = mode;
  // the page number (< 2^52, exact as a double) as 32-bit halves: table indices with int shifts
  const page = Number(iova >> 12n);
  const pageLow = page >>> 0;
  const pageHigh = Math.floor(page / 0x1_0000_0000);
  for (;;) {
    const shift = LEVEL_SHIFT[level] as bigint;
    const entry = memory.read64(table + BigInt(tableIndex(pageLow, pageHigh, level) * 8));
    // PR (bit 0) and NextLevel (11:9) from the low 32 bits as a number: two BigInt operations fewer per level
    const low = Number(BigInt.asUintN(32, entry));
    if ((low & 1) === 0) return fault(request, dteAddress, "IO_PAGE_FAULT", "NOT_PRESENT", rw, level);
    if ((entry & permissionBit) === 0n) permitted = false;
    const next = (low >>> 9) & 7;
    if (next === NEXT_LEVEL_DEFAULT_LEAF || next === NEXT_LEVEL_EXPLICIT_SIZE) {
      let pageMask: bigint;
      let base: bigint;
      if (next === NEXT_LEVEL_DEFAULT_LEAF) {
        // level 6 holds no leaves (its default size would be 2^57 ... there is none, §4.1)
        if (level === MAX_DPT_LEVELS) return fault(request, dteAddress, "IO_PAGE_FAULT", "INVALID_LEVEL", rw | IoFaultFlag.PR | IoFaultFlag.RZ, level);
        pageMask = (1n << shift) - 1n;
        base = entry & DPT_ADDRESS_MASK & ~pageMask;
      } else {
        const explicit = decodeExplicitPageSize(entry);
        // §4.4: above this level's default size, below the next level's
        if (explicit.size <= 1n << shift || explicit.size >= 1n << (shift + 9n)) {
          return fault(request, dteAddress, "IO_PAGE_FAULT", "BAD_PAGE_SIZE", rw | IoFaultFlag.PR | IoFaultFlag.RZ, level);
        }
        pageMask = explicit.size - 1n;
        base = explicit.base;
      }
      if (!permitted) return fault(request, dteAddress, "IO_PAGE_FAULT", "PERMISSION", rw | IoFaultFlag.PR | IoFaultFlag.PE, level);
      return { ok: true, physicalAddress: base | (iova & pageMask), translated: true };
    }
    if (next >= level) return fault(request, dteAddress, "IO_PAGE_FAULT", "INVALID_LEVEL", rw | IoFaultFlag.PR | IoFaultFlag.RZ, level);
    if (next < level - 1) {
      // skipped levels next+1 .. level-1 index address bits 12+9*next .. 12+9*(level-1)-1
      const skipped = (iova >> BigInt(12 + 9 * next)) & ((1n << BigInt(9 * (level - 1 - next))) - 1n);
      if (skipped !== 0n) return fault(request, dteAddress, "IO_PAGE_FAULT", "SKIPPED_BITS_SET", rw | IoFaultFlag.PR, level);
    }
    table = entry & DPT_ADDRESS_MASK;
    level = next;
  }
}

/** index into a level-`level` table: page-number bits 9(level-1)+8 .. 9(level-1) */
function tableIndex(pageLow: number, pageHigh: number, level: number): number {
  const shift = 9 * (level - 1);
  if (shift < 24) return (pageLow >>> shift) & 511;
  if (shift < 32) return ((pageLow >>> shift) | (pageHigh << (32 - shift))) & 511;
  return (pageHigh >>> (shift - 32)) & 511;
}

function fault(request: DmaRequest, dteAddress: bigint, code: IoFaultCode, reason: DmaFaultReason, flagsWord: number, level: number): DmaTranslation {
  const q1 = request.dte === undefined ? request.memory.read64(dteAddress + 8n) : request.dte[1];
  const domainId = Number(q1 & 0xffffn);
  return {
    ok: false,
    fault: { code, reason, deviceId: request.bdf, domainId, address: request.iova, flags: ioFaultFlags(flagsWord), flagsWord, level },
  };
}
