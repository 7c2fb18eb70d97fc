import { PHYSICAL_CHUNK_SHIFT, type PhysicalMemory } from "@novakit/kernel-core";
import { DEVICE_TABLE_ENTRIES, DTE_BYTES } from "../device-table/device-table.js";
import {
  DPT_ADDRESS_MASK,
  DPT_IR,
  DPT_IW,
  DPT_NEXT_LEVEL_MASK,
  DPT_NEXT_LEVEL_SHIFT,
  DPT_PR,
  MAX_DPT_LEVELS,
  NEXT_LEVEL_DEFAULT_LEAF,
  NEXT_LEVEL_EXPLICIT_SIZE,
} from "../dpt/amd-dpt-bits.js";

/** Returned by translateDmaFast when the full walk (translateDma) has to decide. */
export const NEEDS_FULL_WALK = -1;

const CHUNK_FRAMES = 2 ** PHYSICAL_CHUNK_SHIFT;
const TWO_POW_32 = 2 ** 32;
const FRAME_SIZE = 4096;
/** Int32Array halves are the little-endian halves of a 64-bit word only on a little-endian host */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** 2^(12 + 9 * level): bytes covered by one entry of a level-`level + 1` table, i.e. the span of a level-`level` leaf */
const LEVEL_SPAN: readonly number[] = [2 ** 12, 2 ** 12, 2 ** 21, 2 ** 30, 2 ** 39, 2 ** 48, 2 ** 57];
/** 2^(12 + 9 * mode): the DMA address space of a DTE Mode (amd-iommu.md §4.1) */
const MODE_LIMIT: readonly number[] = [0, 2 ** 21, 2 ** 30, 2 ** 39, 2 ** 48, 2 ** 57, 2 ** 64];

/**
 * The common-case walks (the window walk, walkCommonCase) write their numbers as literals: V8
 * checks a module-level constant for its temporal dead zone at every use, and those checks alone
 * would push the walks' bytecode over V8's inlining limits. They are: a DTE is 32 bytes (<< 5);
 * PhysicalMemory's chunk view holds 2^6 frames (>>> 6, & 63), 2^18 bytes (>>> 18, & 0x3ffff);
 * PR is bit 0 and Next Level bits 11:9 (0xe01; 0x601, 0x401, 0x201 are PR with Next Level 3, 2,
 * 1); IR and IW are bits 61 and 62 (high-half bits 29 and 30: 0x2000_0000, 0x4000_0000); reserved
 * bit 63 is high-half bit 31; address bits 51:32 are high-half bits 19:0 (0xfffff), 51:40 bits
 * 19:8 (0xfff00); Next Level 0 is a default-size leaf. This check holds them to the named
 * constants they repeat.
 */
if (
  DTE_BYTES !== 32 ||
  PHYSICAL_CHUNK_SHIFT !== 6 ||
  NEXT_LEVEL_DEFAULT_LEAF !== 0 ||
  DPT_PR !== 1n ||
  DPT_NEXT_LEVEL_SHIFT !== 9n ||
  DPT_NEXT_LEVEL_MASK !== 7n ||
  DPT_IR !== 1n << 61n ||
  DPT_IW !== 1n << 62n ||
  DPT_ADDRESS_MASK >> 32n !== 0xfffffn
) {
  throw new Error("translate-dma-fast: the common walks' literals no longer match the device table, the I/O page-table entry or PhysicalMemory");
}

/**
 * The chunk of a frame. Frames below 2^32 (physical addresses below 16 TiB) take an integer
 * shift: a double division costs ~15 cycles on the walk's dependency chain, five times per walk.
 */
function chunkOf(frame: number): number {
  return frame < TWO_POW_32 ? frame >>> PHYSICAL_CHUNK_SHIFT : Math.floor(frame * (1 / CHUNK_FRAMES));
}

/** index of a frame's first 32-bit half inside its chunk's view */
function frameIndex(frame: number): number {
  return (frame & (CHUNK_FRAMES - 1)) << 10;
}

/**
 * The chunk holding the frame an entry points to, from the entry's halves: address bits 51:32 in
 * the high half, 31:12 in the low half. Below 2^49 (every machine modelled) this is int32
 * arithmetic, so the walk never leaves small integers between two table reads.
 */
function entryChunk(low: number, high: number): number {
  const upper = high & 0xfffff;
  if (upper < 0x2_0000) return (upper << (20 - PHYSICAL_CHUNK_SHIFT)) | (low >>> (12 + PHYSICAL_CHUNK_SHIFT));
  return Math.floor((upper * 0x10_0000 + (low >>> 12)) * (1 / CHUNK_FRAMES));
}

/** where the frame an entry points to starts inside its chunk's view */
function entryFrameIndex(low: number): number {
  return ((low >>> 12) & (CHUNK_FRAMES - 1)) << 10;
}

/**
 * The DMA translation walk of translateDma (reference/amd-iommu.md §3.4, §4.3) for the case
 * every well-formed assigned device is in, on numbers instead of BigInt: DTE V=1 TV=1 with no
 * reserved bits and Mode 1..maxLevels, every entry present with the needed IR/IW, default-size
 * leaves, levels skipped only over zero address bits. It returns the physical address, or
 * NEEDS_FULL_WALK for anything else — every fault, pass-through (V=0, Mode 0), explicit page
 * sizes (Next Level 7), addresses at or above 2^53 — so that translateDma, the reference
 * implementation, decides those and builds the fault record. A property test holds the two to the
 * same answers.
 *
 * Three layers, for speed. The first two take IOVAs below 2^44 and a device table below 1 GiB,
 * in int32 arithmetic. The window walk (windowUpperLevels, windowLowerLevels) takes what NOVA
 * programs with 4-level tables (Mode 4, 4 KiB leaves, tables in PhysicalMemory's window below
 * 4 GiB); it and this wrapper are small enough that V8 inlines them into the caller's loop. walkCommonCase
 * takes Modes 1-4 with default-size leaves of 4 KiB to 1 GiB and tables below 2^40, through
 * PhysicalMemory's chunk views. walkUncommonCase covers every other well-formed case (skipped
 * levels, Modes 5-6, memory anywhere below 2^52).
 */
export function translateDmaFast(
  memory: PhysicalMemory,
  deviceTableBase: number,
  bdf: number,
  iova: number,
  write: boolean,
  maxLevels: number,
): number {
  // the window walk's integers: the IOVA below 2^44, the BDF below 2^16, the device table below
  // 2^30; Mode 4 allowed; and halves that are the halves of a word
  if (iova >= 0 && iova < 0x1000_0000_0000 && (bdf & 0xffff) === bdf && (deviceTableBase & 0x3fff_ffff) === deviceTableBase && maxLevels >= 4 && LITTLE_ENDIAN_HOST) {
    const window = memory.windowHalves;
    const first = memory.windowFirstFrame;
    const frames = memory.walkableWindowFrames;
    const dteAddress = deviceTableBase + (bdf << 5);
    const dteOffset = (dteAddress >>> 12) - first;
    if (dteOffset >>> 0 < frames) {
      const dteAt = (dteOffset << 10) + ((dteAddress & 0xfff) >>> 2);
      // below 2^44 the page number fits 32 bits, and >>> 0 truncates a positive quotient: Math.floor
      const page = (iova / 4096) >>> 0;
      // IW or IR (bit 30 or 29 of an entry's high half)
      const permission = write ? 0x4000_0000 : 0x2000_0000;
      const levelTwo = windowUpperLevels(window, first, frames, window[dteAt] as number, window[dteAt + 1] as number, page, permission);
      const found = windowLowerLevels(window, first, frames, levelTwo, page, iova, permission);
      if (found >= 0) return found;
    }
  }
  return walkOutsideWindow(memory, deviceTableBase, bdf, iova, write, maxLevels);
}

/**
 * translateDmaFast for what its window walk leaves: the walk through chunk views, then
 * walkUncommonCase. A call of its own so that the window walk stays within V8's inlining budget.
 */
function walkOutsideWindow(memory: PhysicalMemory, deviceTableBase: number, bdf: number, iova: number, write: boolean, maxLevels: number): number {
  if (iova >= 0 && iova < 0x1000_0000_0000 && (bdf & 0xffff) === bdf && (deviceTableBase & 0x3fff_ffff) === deviceTableBase && LITTLE_ENDIAN_HOST) {
    const page = (iova / 4096) >>> 0;
    const found = walkChunksFromDeviceTable(memory.denseChunkHalves, deviceTableBase + (bdf << 5), page, iova, write ? 1 << 30 : 1 << 29, maxLevels);
    if (found >= 0) return found;
  }
  return walkUncommonCase(memory, deviceTableBase, bdf, iova, write, maxLevels);
}

/**
 * The I/O page-table walk of translateDmaFast from a device table entry the caller holds (its
 * quadword 0 as 32-bit halves): what the IOMMU model does on an IOTLB miss, with the DTE from its
 * device-table cache (which may be stale on purpose until INVALIDATE_DEVTAB_ENTRY). Returns the
 * physical address for the common case (translateDmaFast's window walk and walkCommonCase),
 * or NEEDS_FULL_WALK for anything else, which translateDma then decides from the same DTE.
 */
export function translateIoTablesFast(memory: PhysicalMemory, dteLow: number, dteHigh: number, iova: number, write: boolean, maxLevels: number): number {
  if (!(iova >= 0 && iova < 0x1000_0000_0000) || !LITTLE_ENDIAN_HOST) return NEEDS_FULL_WALK;
  const window = memory.windowHalves;
  const first = memory.windowFirstFrame;
  const frames = memory.walkableWindowFrames;
  const page = (iova / 4096) >>> 0;
  const permission = write ? 0x4000_0000 : 0x2000_0000;
  if (maxLevels >= 4) {
    const inWindow = windowLowerLevels(window, first, frames, windowUpperLevels(window, first, frames, dteLow, dteHigh, page, permission), page, iova, permission);
    if (inWindow >= 0) return inWindow;
  }
  const found = walkCommonCase(memory.denseChunkHalves, dteLow, dteHigh, page, iova, write ? 1 << 30 : 1 << 29, maxLevels);
  return found >= 0 ? found : NEEDS_FULL_WALK;
}

/*
 * The window walk: the walk when the tables lie in PhysicalMemory's window (the kernel keeps its
 * memory in one: kernelMemoryWindow) below 4 GiB, for what NOVA programs with 4-level tables: DTE
 * Mode 4, tables with Next Level exactly one below their level, a 4 KiB leaf (below 2^40).
 * windowUpperLevels checks the DTE and walks levels 4 and 3, windowLowerLevels levels 2 and 1;
 * callers pass the first's result to the second. They read the window through its one flat view,
 * which is the same at every level, so V8 checks the view once per walk instead of once per
 * table. `first` and `frames` are the window's first frame and its walkable frames; `page` is the
 * IOVA's page number (IOVA below 2^44); `permission` is IR or IW, bit 29 or 30 of an entry's high
 * half. A table entry must have it set and address bits 51:32 and bit 63 clear (high-half mask
 * 0x800fffff; the walk declines what the full walk would take with bit 63 set), the leaf address
 * bits 51:40 (0xfff00). Callers check that maxLevels allows Mode 4. Anything else (another Mode,
 * a large leaf, a table outside the window or above 4 GiB) is left to walkCommonCase and
 * walkUncommonCase.
 *
 * Straight-line code rather than a loop over levels: in a loop V8 checks the view, reloads its
 * length and spills the walk's values at every level; the loop took 26.6-27.1 ns a walk where
 * straight-line code took 23.2-23.8 (scratch A/B runs, same minutes). Two functions, each under
 * V8's 460-byte inlining limit, and together with translateDmaFast within its cumulative budget
 * (920 bytes, a candidate counted at 1.2 times its size with what its own optimized code
 * inlined): past either, V8 calls instead of inlining, and a called walk takes ~10 ns more
 * (translate-dma-fast-inlining.test.ts holds the three functions to those limits).
 * Hence the terse bytecode: tables below 4 GiB (a frame number is `low >>> 12`), one test per
 * entry, `((page >>> 17) & 0x3fe)` for `((page >>> 18) & 511) << 1` (an index times the two
 * halves of an entry).
 */

/**
 * The DTE and levels 4 and 3: the level-2 table's frame minus `first` (its offset in the
 * window), or -1. Exported for the package's tests only, as is windowLowerLevels: a fast walk
 * that declines is never wrong (translateDma decides), so only the window walk alone shows that it
 * takes what it should.
 */
export function windowUpperLevels(window: Int32Array, first: number, frames: number, dteLow: number, dteHigh: number, page: number, permission: number): number {
  const tableMask = permission | 0x800f_ffff;
  // V and TV set, bits 8:2 clear (the full walk takes bits 8:7 set; this walk declines them),
  // Mode 4; the permission set, bit 63 and root address bits 51:32 clear
  if (((dteLow & 0xfff) ^ 0x803) | ((dteHigh & tableMask) ^ permission)) return -1;
  const four = (dteLow >>> 12) - first;
  if (four >>> 0 >= frames) return -1;
  let at = (four << 10) + ((page >>> 26) & 0x3fe);
  let low = window[at] as number;
  let high = window[at + 1] as number;
  // present, Next Level 3 (low bits 0x601), the permission
  if (((low & 0xe01) ^ 0x601) | ((high & tableMask) ^ permission)) return -1;
  const three = (low >>> 12) - first;
  if (three >>> 0 >= frames) return -1;
  at = (three << 10) + ((page >>> 17) & 0x3fe);
  low = window[at] as number;
  high = window[at + 1] as number;
  // present, Next Level 2
  if (((low & 0xe01) ^ 0x401) | ((high & tableMask) ^ permission)) return -1;
  return (low >>> 12) - first;
}

/** Levels 2 and 1 from the level-2 table at window offset `two` (-1: none): the physical address, or -2. */
export function windowLowerLevels(window: Int32Array, first: number, frames: number, two: number, page: number, iova: number, permission: number): number {
  if (two >>> 0 >= frames) return -2;
  let at = (two << 10) + ((page >>> 8) & 0x3fe);
  let low = window[at] as number;
  let high = window[at + 1] as number;
  // present, Next Level 1
  if (((low & 0xe01) ^ 0x201) | ((high & (permission | 0x800f_ffff)) ^ permission)) return -2;
  const one = (low >>> 12) - first;
  if (one >>> 0 >= frames) return -2;
  at = (one << 10) + ((page & 511) << 1);
  low = window[at] as number;
  high = window[at + 1] as number;
  // a present leaf of the default size (Next Level 0) with the permission, address bits 51:40 clear
  if (((low & 0xe01) ^ 1) | ((high & (permission | 0xfff00)) ^ permission)) return -2;
  return ((((high & 0xff) << 20) | (low >>> 12)) * 4096) + (iova & 0xfff);
}

/**
 * The common walk through PhysicalMemory's chunk views, one per table: Modes 1-4, large leaves,
 * tables outside the window (a loop over levels: each level has a view of its own anyway).
 *
 * walkCommonCase takes what its callers checked: `dteLow` and `dteHigh` are the halves of DTE
 * quadword 0; `page` is the IOVA's page number (IOVA below 2^44); `permissionBit` is IR or IW as a
 * bit of an entry's high half. It checks the rest: DTE V=1 TV=1 with reserved bits 6:2 and 63
 * clear, Mode 1..4 within maxLevels and the IOVA inside it, every table and leaf below 2^40
 * (frame numbers are int32), entries present with the permission, tables with Next Level exactly
 * one below, default-size leaves of 4 KiB, 2 MiB or 1 GiB (Next Level 0 at levels 1-3). It returns
 * the physical address, or a negative number for anything else (which walkUncommonCase or
 * translateDma decides, faults included). Its bytecode stays under V8's 460-byte inlining limit
 * (hence literals, see the check at the top of this file, and one kind of exit).
 */
function walkCommonCase(
  dense: readonly (Int32Array | undefined)[],
  dteLow: number,
  dteHigh: number,
  page: number,
  iova: number,
  permissionBit: number,
  maxLevels: number,
): number {
  let level = (dteLow >>> 9) & 7;
  // V and TV set, bits 6:2 clear; the permission set, bit 63 and root address bits 51:40 clear;
  // Mode 1..4 within maxLevels, the IOVA inside the Mode's 2^(12 + 9 * Mode) bytes
  if ((dteLow & 0x7f) !== 0x3 || (dteHigh & (permissionBit | 0x800f_ff00)) !== permissionBit) return -2;
  if (level === 0 || level > 4 || level > maxLevels || page >>> (9 * level - 9) > 511) return -2;
  let frame = ((dteHigh & 0xff) << 20) | (dteLow >>> 12);
  for (;;) {
    const view = dense[frame >>> 6];
    if (view === undefined) return -2;
    const at = ((frame & 63) << 10) + (((page >>> (9 * level - 9)) & 511) << 1);
    const low = view[at] as number;
    const high = view[at + 1] as number;
    if ((low & 1) === 0 || (high & (permissionBit | 0xf_ff00)) !== permissionBit) return -2;
    const next = (low >>> 9) & 7;
    if (next === 0) {
      if (level > 3) return -2;
      const offsetMask = (1 << (9 * level + 3)) - 1;
      return (high & 0xff) * 0x1_0000_0000 + ((low & ~offsetMask) >>> 0) + (iova & offsetMask);
    }
    if (next !== level - 1) return -2;
    frame = ((high & 0xff) << 20) | (low >>> 12);
    level -= 1;
  }
}

/** walkCommonCase with the DTE read through its chunk view (`dteAddress` an integer below 2^31) */
function walkChunksFromDeviceTable(
  dense: readonly (Int32Array | undefined)[],
  dteAddress: number,
  page: number,
  iova: number,
  permissionBit: number,
  maxLevels: number,
): number {
  const dteView = dense[dteAddress >>> 18];
  if (dteView === undefined) return -2;
  const dteAt = (dteAddress & 0x3ffff) >>> 2;
  return walkCommonCase(dense, dteView[dteAt] as number, dteView[dteAt + 1] as number, page, iova, permissionBit, maxLevels);
}

/**
 * translateDmaFast for every well-formed case walkCommonCase leaves: large leaves, skipped
 * levels, Modes 5 and 6, tables anywhere below 2^52 and IOVAs below 2^53, with double arithmetic
 * where int32 would not hold the values.
 */
function walkUncommonCase(
  memory: PhysicalMemory,
  deviceTableBase: number,
  bdf: number,
  iova: number,
  write: boolean,
  maxLevels: number,
): number {
  if (!(iova >= 0 && iova < 2 ** 53) || !(bdf >= 0 && bdf < DEVICE_TABLE_ENTRIES) || !LITTLE_ENDIAN_HOST) return NEEDS_FULL_WALK;
  // chunks of the first 16 GiB by index (one array read per step), others through chunkHalves
  const dense = memory.denseChunkHalves;
  const dteAddress = deviceTableBase + bdf * DTE_BYTES;
  // multiplications by exact reciprocals of powers of two: the same values as the divisions, cheaper
  const dteFrame = Math.floor(dteAddress * (1 / FRAME_SIZE));
  const dteChunk = chunkOf(dteFrame);
  const dteView = dteChunk < dense.length ? dense[dteChunk] : memory.chunkHalves(dteChunk);
  if (dteView === undefined) return NEEDS_FULL_WALK;
  // `& 0xfff` rather than `% 4096`: on a double, % is a call to fmod (a bitwise operator takes the
  // low 32 bits, exact for any address below 2^53)
  const dteAt = frameIndex(dteFrame) + ((dteAddress & 0xfff) >>> 2);
  const dteLow = dteView[dteAt] as number;
  const dteHigh = dteView[dteAt + 1] as number;
  const mode = (dteLow >>> 9) & 7;
  // IR is bit 61, IW bit 62: bits 29 and 30 of the high half, in the DTE and in every entry
  const permissionBit = write ? 1 << 30 : 1 << 29;
  // V (bit 0) and TV (bit 1) set, reserved bits 6:2 and 63 clear (§3.1); Mode 1..maxLevels; in range (§4.1)
  if ((dteLow & 0x7f) !== 0x3 || dteHigh < 0 || (dteHigh & permissionBit) === 0) return NEEDS_FULL_WALK;
  if (mode === 0 || mode > maxLevels || mode > MAX_DPT_LEVELS || iova >= (MODE_LIMIT[mode] as number)) return NEEDS_FULL_WALK;
  // the page number as 32-bit halves (iova < 2^53: the page is below 2^41, its high half below
  // 2^9), so every level's index is int32 shifts: no double division or fmod on the dependency chain
  const pageLow = Math.floor(iova * (1 / FRAME_SIZE)) >>> 0;
  const pageHigh = (iova * (1 / (FRAME_SIZE * TWO_POW_32))) | 0;
  // the next table as (chunk, index in the chunk's view): small integers, no byte addresses
  let chunk = entryChunk(dteLow, dteHigh);
  let tableIndex = entryFrameIndex(dteLow);
  let level = mode;
  for (;;) {
    const view = chunk < dense.length ? dense[chunk] : memory.chunkHalves(chunk);
    if (view === undefined) return NEEDS_FULL_WALK;
    const at = tableIndex + 2 * levelIndex(pageLow, pageHigh, level);
    const low = view[at] as number;
    const high = view[at + 1] as number;
    if ((low & 1) === 0 || (high & permissionBit) === 0) return NEEDS_FULL_WALK;
    const next = (low >>> 9) & 7;
    if (next === NEXT_LEVEL_DEFAULT_LEAF) {
      if (level !== 1) return largeLeaf(low, high, level, iova);
      return (high & 0xfffff) * TWO_POW_32 + ((low & 0xfffff000) >>> 0) + (iova & 0xfff);
    }
    if (next !== level - 1 && !skipsOnlyZeroBits(next, level, iova)) return NEEDS_FULL_WALK;
    chunk = entryChunk(low, high);
    tableIndex = entryFrameIndex(low);
    level = next;
  }
}

/**
 * The index into a level-`level` table (page-number bits 9·(level-1)+8 .. 9·(level-1), §4.3)
 * from the page number's 32-bit halves. Level 4 straddles the halves (bits 35:27).
 */
function levelIndex(pageLow: number, pageHigh: number, level: number): number {
  const shift = 9 * (level - 1);
  if (shift < 24) return (pageLow >>> shift) & 511;
  if (shift < 32) return ((pageLow >>> shift) | (pageHigh << (32 - shift))) & 511;
  return (pageHigh >>> (shift - 32)) & 511;
}

/** a leaf above level 1: its frame address is aligned to its size (§4.4); level 6 holds none */
function largeLeaf(low: number, high: number, level: number, iova: number): number {
  if (level === MAX_DPT_LEVELS) return NEEDS_FULL_WALK;
  const address = (high & 0xfffff) * TWO_POW_32 + ((low & 0xfffff000) >>> 0);
  const span = LEVEL_SPAN[level] as number;
  if (level <= 3) return address - (address & (span - 1)) + (iova & (span - 1));
  return address - (address % span) + (iova % span);
}

/**
 * A pointer from level `level` to level `next` below level - 1: valid only when `next` is a real
 * level under this one and the skipped levels' address bits, 12 + 9 * next .. 12 + 9 * (level - 1)
 * - 1, are all zero (§4.3); Next Level 7 is an explicit page size, left to the full walk.
 */
function skipsOnlyZeroBits(next: number, level: number, iova: number): boolean {
  if (next === NEXT_LEVEL_EXPLICIT_SIZE || next >= level) return false;
  return Math.floor(iova / (LEVEL_SPAN[next + 1] as number)) % 2 ** (9 * (level - 1 - next)) === 0;
}
