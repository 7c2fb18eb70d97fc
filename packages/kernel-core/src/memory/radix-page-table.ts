import { NovakitError } from "../errors/novakit-error.js";
import {
  DEFAULT_INVALIDATION_POLICY,
  EntryKind,
  MEMORY_PERMISSIONS_ALL,
  PATH_PERMISSION_USER,
  type InvalidationPolicy,
  type MemoryAttributes,
  type PageTableFormat,
} from "./page-table-format.js";
import { FRAME_SIZE, PHYSICAL_CHUNK_SHIFT, type PhysicalMemory } from "./physical-memory.js";
import type {
  LeafBlock,
  TableMemoryStats,
  Translation,
  TranslationTable,
  UpdateResult,
} from "./translation-table.js";

/** Where page-table pages come from (a FrameAllocator is one). */
export interface TableAllocator {
  allocateTable(): bigint | undefined;
  freeTable(address: bigint): void;
  /** `count` contiguous tables aligned to `count` pages, for concatenated roots (rootEntries > 512) */
  allocateTables?(count: number): bigint | undefined;
}

export interface RadixPageTableOptions {
  /**
   * Work on an existing tree instead of allocating a new root: a second view of the same space,
   * as another CPU (or a worker thread) would have. The root then belongs to the first view.
   */
  readonly rootAddress?: bigint;
  /**
   * Test hook, called after a slot was read and its replacement table prepared, right before the
   * compare-and-swap that publishes it: lets a test install a competing table in between.
   */
  readonly beforePublish?: (slotAddress: bigint, level: number) => void;
  /**
   * Merge a table back into its parent slot when an update leaves it uniform: 512 leaves with one
   * stride and the same permissions and attributes become one leaf a level up (if the format
   * allows leaves there), 512 holes become a hole; the table is waitlisted. NOVA itself never
   * merges, so this is off unless asked for. Needs a format with linearLeafAddress and entryAddress
   * for leaf merging; empty tables are merged for every format.
   */
  readonly mergeUniformTables?: boolean;
}

const ENTRIES_PER_TABLE = 512;
const BITS_PER_LEVEL = 9;
const PAGE_BITS = 12;
const RESULT_BAD_PAR: UpdateResult = Object.freeze({ ok: false, status: "BAD_PAR" });
const RESULT_MEM_CAP: UpdateResult = Object.freeze({ ok: false, status: "MEM_CAP" });
const RESULT_FLUSH: UpdateResult = Object.freeze({ ok: true, flushNeeded: true });
const RESULT_NO_FLUSH: UpdateResult = Object.freeze({ ok: true, flushNeeded: false });

/**
 * NOVA's generic radix page table (reference/nova.md §3.1) with its lock-free update scheme
 * (§3.4), over entries that live in `PhysicalMemory` frames (SharedArrayBuffer-backed), so the
 * tables are literally what hardware walks.
 *
 * Level numbering is NOVA's: level 0 holds 4 KiB leaves, the root sits at `format.levels - 1`.
 * Hot-path arithmetic is done on page numbers held in doubles (exact below 2^53; inputs are at
 * most 57 bits, i.e. 2^45 pages), BigInt only where an entry is produced or consumed.
 */
export class RadixPageTable implements TranslationTable {
  readonly rootAddress: bigint;
  private readonly top: number;
  private readonly leafLevelLimit: number;
  /** pages covered by one slot at each level: 512^level */
  private readonly span: number[] = [];
  /** byte size of a slot at each level minus one, as BigInt, to take the offset inside a leaf */
  private readonly offsetMask: bigint[] = [];
  private readonly slotBytes: bigint[] = [];
  private readonly rootViews: BigInt64Array[] = [];
  private readonly rootFrames: number;
  private readonly inputLimit: bigint;
  /** the same limits as doubles (powers of two, exact): in bytes, and in pages */
  private readonly inputLimitNumber: number;
  private readonly inputPages: number;
  private readonly outputPages: number;
  private readonly policy: InvalidationPolicy;
  /** the format stores frame addresses verbatim and offers entryAddress: leaves can be cached by their attribute bits */
  private readonly fastLeaves: boolean;
  private readonly mergeTables: boolean;
  /** tables torn down but possibly still cached by a walker; freed by releaseWaitlisted() */
  private readonly waitlist: bigint[] = [];
  /** the walker's cache of table pages (TableNode), by frame number; the root's nodes first */
  private readonly nodes = new Map<number, TableNode>();
  private readonly rootNodes: TableNode[] = [];
  /**
   * One Int32Array and one BigInt64Array per buffer, shared by all its frames: a walk then reaches
   * a table's entries through views that stay hot in cache, not a view object per table page.
   */
  private readonly slabs = new WeakMap<ArrayBufferLike, SlabViews>();
  /** the path of the last walk (kept for mergeUniformTables only), per level: the table's view, the slot index used in it, the entry found there */
  private readonly pathView: (BigInt64Array | undefined)[] = [];
  private readonly pathIndex: number[] = [];
  private readonly pathRaw: bigint[] = [];
  /** set by walkTo when a removal met a HOLE: the level of that hole */
  private holeLevel = -1;
  /** set by walkTo: a splinter or a new table made a flush necessary */
  private walkFlush = false;
  /** set by walkTo: index of the target table's first entry in the slab view walkTo returned */
  private walkBase = 0;
  /** set by walkTo: allocation failed */
  private walkOutOfMemory = false;
  /** set by walkTo: the 32-bit halves view of the slab the target table lives in (same base as walkBase) */
  private walkHalves: Int32Array = EMPTY_HALVES;
  /**
   * mapPage's leaf template for 4 KiB leaves: the attribute bits of the last (permissions,
   * attributes) pair as 32-bit halves, so a leaf is two ORs with the frame number.
   */
  private pageLeafPermissions = -1;
  private pageLeafAttributes: MemoryAttributes | undefined;
  private pageLeafLow = 0;
  private pageLeafHigh = 0;
  /** set by recordedWalk on success: the level of the leaf found and the path's permission mask */
  private walkLevel = 0;
  private walkAllowed = -1;
  /**
   * Linear formats (entry = frame address + attribute bits): per level, the frame-address bits of
   * a leaf as 32-bit halves, and the attribute bits of the last leaf decoded there (halves) with
   * what they decode to, so a lookup that meets a leaf with the same attribute bits reads the
   * address straight from the halves, without BigInt or decode.
   */
  private readonly leafMaskLow: number[] = [];
  private readonly leafMaskHigh: number[] = [];
  private readonly leafAddressMask: bigint[] = [];
  private readonly leafBitsLow: number[] = [];
  private readonly leafBitsHigh: number[] = [];
  /** whether leafBits* hold a decoded leaf at that level */
  private readonly leafKnown: boolean[] = [];
  private readonly leafPermissions: number[] = [];
  private readonly leafAttributes: (MemoryAttributes | undefined)[] = [];
  /** the last encodeLeaf inputs and the attribute bits they produced, as a signed word (linear formats) */
  private encodedLevel = -1;
  private encodedPermissions = 0;
  private encodedAttributes: MemoryAttributes | undefined;
  private encodedBits = 0n;
  /** compare-and-swap publications lost to a concurrent writer (their tables were freed) */
  private lostRaces = 0;
  /**
   * The direct walk (directWalk, directTranslate): the root's frame number, or -1 when the walk
   * cannot start there (a format that does not store frames verbatim, a concatenated root, a
   * root beyond the dense chunk views, merging on).
   */
  private readonly directRootFrame: number;
  /** PhysicalMemory's chunk views by chunk number (a live array: it grows as frames are written) */
  private readonly chunkViews: readonly (Int32Array | undefined)[];
  /**
   * Per level, the bits of the table entries met there other than the table's address, as
   * halves (learnt in recordChild from entries the format decoded): a slot holding exactly
   * those bits plus some address points to the table at that address.
   */
  private readonly tableBitsLow: number[] = [];
  private readonly tableBitsHigh: number[] = [];
  private readonly tableKnown: boolean[] = [];
  /** set by directWalk: the chunk view holding the level-0 table it reached, and that table's first index in it */
  private directHalves: Int32Array = EMPTY_HALVES;
  private directBase = 0;
  /**
   * The window walk (windowWalk, windowTranslate): PhysicalMemory's window as one flat view, its
   * first frame and walkable frames, and the root's offset in it (-1 when the root lies outside,
   * or the direct walk is off).
   */
  private readonly windowHalves: Int32Array;
  private readonly windowFirstFrame: number;
  private readonly windowFrames: number;
  private readonly windowRootOffset: number;
  /**
   * The window walk's learnt bits in one Int32Array, so that a step reads them with one typed
   * load each: for level L (1..top) the table bits' halves at 2L and 2L + 1, the level-0 leaf
   * bits' halves at 0 and 1. A level with nothing learnt holds the level-0 address mask as its low
   * half, which no entry's bits outside that mask can equal.
   */
  private readonly windowBits: Int32Array;

  constructor(
    readonly format: PageTableFormat,
    private readonly allocator: TableAllocator,
    private readonly memory: PhysicalMemory,
    private readonly options: RadixPageTableOptions = {},
  ) {
    validateFormat(format);
    this.top = format.levels - 1;
    this.leafLevelLimit = Math.min(format.maxLeafLevel, this.top);
    for (let level = 0; level < format.levels; level++) {
      this.span.push(ENTRIES_PER_TABLE ** level);
      this.slotBytes.push(1n << BigInt(PAGE_BITS + BITS_PER_LEVEL * level));
      this.offsetMask.push((1n << BigInt(PAGE_BITS + BITS_PER_LEVEL * level)) - 1n);
      const leafMask = ((1n << BigInt(format.outputBits)) - 1n) & ~((1n << BigInt(PAGE_BITS + BITS_PER_LEVEL * level)) - 1n);
      this.leafAddressMask.push(leafMask);
      this.leafMaskLow.push(lowHalf(leafMask));
      this.leafMaskHigh.push(highHalf(leafMask));
      this.leafBitsLow.push(0);
      this.leafBitsHigh.push(0);
      this.leafKnown.push(false);
      this.pathView.push(undefined);
      this.pathIndex.push(0);
      this.pathRaw.push(0n);
      this.leafPermissions.push(0);
      this.leafAttributes.push(undefined);
      this.tableBitsLow.push(0);
      this.tableBitsHigh.push(0);
      this.tableKnown.push(false);
    }
    this.inputLimit = 1n << BigInt(format.inputBits);
    this.inputLimitNumber = 2 ** format.inputBits;
    this.inputPages = 2 ** (format.inputBits - PAGE_BITS);
    this.outputPages = 2 ** (format.outputBits - PAGE_BITS);
    this.policy = format.invalidation ?? DEFAULT_INVALIDATION_POLICY;
    this.fastLeaves = format.linearLeafAddress === true && format.entryAddress !== undefined;
    this.mergeTables = options.mergeUniformTables === true;
    this.rootFrames = Math.ceil(format.rootEntries / ENTRIES_PER_TABLE);
    this.rootAddress = options.rootAddress ?? this.allocateRoot();
    for (let frame = 0; frame < this.rootFrames; frame++) {
      const node = this.nodeFor(this.rootAddress + BigInt(frame * FRAME_SIZE), this.top);
      this.rootNodes.push(node);
      this.rootViews.push(node.words);
    }
    this.chunkViews = memory.denseChunkHalves;
    const rootFrame = Number(this.rootAddress >> 12n);
    const direct = this.fastLeaves && !this.mergeTables && this.rootFrames === 1 && this.top > 0 && LOW_HALF === 0;
    this.directRootFrame = direct && rootFrame < DIRECT_FRAME_LIMIT ? rootFrame : -1;
    this.windowBits = new Int32Array(2 * format.levels).fill(this.leafMaskLow[0] as number);
    this.windowHalves = memory.windowHalves;
    this.windowFirstFrame = memory.windowFirstFrame;
    this.windowFrames = memory.walkableWindowFrames;
    const rootOffset = rootFrame - memory.windowFirstFrame;
    // (the learnt-bits sentinel needs a non-zero address mask in the low half: every format here has one)
    this.windowRootOffset = this.directRootFrame >= 0 && this.leafMaskLow[0] !== 0 && rootOffset >= 0 && rootOffset < this.windowFrames ? rootOffset : -1;
  }

  map(input: bigint, output: bigint, order: number, permissions: number, attributes: MemoryAttributes): UpdateResult {
    if (permissions === 0) return this.unmap(input, order);
    const page = this.validUpdate(input, order);
    if (page < 0 || !Number.isInteger(permissions) || (permissions & ~MEMORY_PERMISSIONS_ALL) !== 0) return RESULT_BAD_PAR;
    const outputPage = alignedPage(output);
    if (outputPage < 0 || outputPage + 2 ** order > this.outputPages) return RESULT_BAD_PAR;
    if (order === 0 && !this.mergeTables) return this.mapPage(page, outputPage, permissions, attributes);
    return this.update(page, outputPage, order, permissions, attributes);
  }

  unmap(input: bigint, order: number): UpdateResult {
    const page = this.validUpdate(input, order);
    if (page < 0) return RESULT_BAD_PAR;
    if (order === 0 && !this.mergeTables) return this.unmapPage(page);
    return this.update(page, 0, order, 0, undefined);
  }

  /**
   * map() of one 4 KiB page given by page numbers (input page = address >> 12, output page =
   * frame number), with no BigInt on the way for formats that store the frame verbatim: the hot
   * path of delegation, DMA mapping and the page-table benchmarks. Same result as
   * map(inputPage << 12, outputPage << 12, 0, permissions, attributes).
   *
   * The leaf is written as NOVA writes one (nova.md §3.4) when the slot is a HOLE: the high half
   * first, while the entry is still not present (hardware ignores every other bit of a
   * non-present entry), then the low half, which holds the present bit, with one atomic
   * compare-and-swap from 0. The entry therefore goes from all-zero to complete in a single atomic
   * step; no walker can see the new low half without the new high half behind it, because the
   * CAS is sequentially consistent and the high half was written before it. Replacing a present
   * leaf changes both halves at once and takes the 64-bit atomic exchange of update().
   */
  mapPage(inputPage: number, outputPage: number, permissions: number, attributes: MemoryAttributes): UpdateResult {
    // the window walk and a leaf like the last one, and nothing else, inline: a caller's loop then
    // holds the whole fast path (one method with every walk ran at half the speed, measured)
    if (
      this.windowRootOffset >= 0 &&
      permissions === this.pageLeafPermissions &&
      attributes === this.pageLeafAttributes &&
      inputPage >= 0 &&
      inputPage < this.inputPages &&
      Number.isInteger(inputPage) &&
      outputPage >= 0 &&
      outputPage < this.outputPages &&
      Number.isInteger(outputPage) &&
      this.windowWalk(inputPage >>> 0, (inputPage * TWO_POW_MINUS_32) | 0)
    ) {
      const halves = this.directHalves;
      const at = this.directBase + 2 * (inputPage & 511);
      const low = this.pageLeafLow | ((outputPage & 0xfffff) << 12);
      const high = this.pageLeafHigh | ((outputPage * TWO_POW_MINUS_20) | 0);
      // as in mapPageAnyWalk: the high half while the slot is empty, then the low half by CAS
      if (halves[at + LOW_HALF] === 0 && halves[at + HIGH_HALF] === 0) {
        halves[at + HIGH_HALF] = high;
        if (Atomics.compareExchange(halves, at + LOW_HALF, 0, low) === 0) return this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
      } else if (halves[at + LOW_HALF] === low && halves[at + HIGH_HALF] === high) {
        return RESULT_NO_FLUSH;
      }
    }
    return this.mapPageAnyWalk(inputPage, outputPage, permissions, attributes);
  }

  /** mapPage through whichever walk reaches the slot (direct, recorded or general), and the update path for anything but an empty or equal slot */
  private mapPageAnyWalk(inputPage: number, outputPage: number, permissions: number, attributes: MemoryAttributes): UpdateResult {
    if (!(inputPage >= 0 && inputPage < this.inputPages && Number.isInteger(inputPage))) return RESULT_BAD_PAR;
    if (!(outputPage >= 0 && outputPage < this.outputPages && Number.isInteger(outputPage))) return RESULT_BAD_PAR;
    if (permissions === 0) return this.unmapPage(inputPage);
    if (!Number.isInteger(permissions) || (permissions & ~MEMORY_PERMISSIONS_ALL) !== 0) return RESULT_BAD_PAR;
    if (!this.fastLeaves || this.mergeTables) return this.update(inputPage, outputPage, 0, permissions, attributes);
    if (permissions !== this.pageLeafPermissions || attributes !== this.pageLeafAttributes) this.learnPageLeaf(outputPage, permissions, attributes);
    // Finding the leaf slot (direct walk, else the recorded walk) is written out here and in
    // unmapPage on purpose: a shared helper would hand back three values through fields on every
    // page of the hottest loop; the two differ in how a failed walk is reported.
    let walkFlush = false;
    let halves: Int32Array;
    let at: number;
    // inputPage < 2^45: its high 32 bits by an exact multiplication (no double division)
    const pageLow = inputPage >>> 0;
    const pageHigh = (inputPage * TWO_POW_MINUS_32) | 0;
    if (this.windowWalk(pageLow, pageHigh) || this.directWalk(pageLow, pageHigh)) {
      halves = this.directHalves;
      at = this.directBase + 2 * (inputPage & 511);
    } else {
      if (this.walkTo(inputPage, 0, false) === undefined) return RESULT_MEM_CAP;
      walkFlush = this.walkFlush;
      halves = this.walkHalves;
      at = 2 * (this.walkBase + (inputPage & 511));
    }
    // outputPage < 2^40: bits 19:0 of it are frame-address bits 31:12, the rest bits 51:32
    const low = this.pageLeafLow | ((outputPage & 0xfffff) << 12);
    const high = this.pageLeafHigh | ((outputPage * TWO_POW_MINUS_20) | 0);
    if (halves[at + LOW_HALF] === 0 && halves[at + HIGH_HALF] === 0) {
      halves[at + HIGH_HALF] = high;
      if (Atomics.compareExchange(halves, at + LOW_HALF, 0, low) === 0) return walkFlush || this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
      // another writer took this very slot meanwhile (outside the disjoint-regions contract):
      // settle it with the full 64-bit exchange below, last writer wins as with update()
    } else if (halves[at + LOW_HALF] === low && halves[at + HIGH_HALF] === high) {
      return walkFlush ? RESULT_FLUSH : RESULT_NO_FLUSH;
    }
    const outcome = this.update(inputPage, outputPage, 0, permissions, attributes);
    return walkFlush && outcome.ok ? RESULT_FLUSH : outcome;
  }

  /**
   * unmap() of one 4 KiB page by page number, without BigInt. The present bit goes first (an
   * atomic exchange of the low half with 0: from then on every walker sees a HOLE), then the now
   * ignored high half is cleared, so the slot ends all-zero as NOVA leaves it.
   */
  unmapPage(inputPage: number): UpdateResult {
    // the window walk, and nothing else, inline: a caller's loop then holds the whole fast path
    if (this.windowRootOffset >= 0 && inputPage >= 0 && inputPage < this.inputPages && Number.isInteger(inputPage)) {
      if (this.windowWalk(inputPage >>> 0, (inputPage * TWO_POW_MINUS_32) | 0)) {
        const halves = this.directHalves;
        const at = this.directBase + 2 * (inputPage & 511);
        if (halves[at + LOW_HALF] === 0 && halves[at + HIGH_HALF] === 0) return this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
        // as in unmapPageAnyWalk: the present bit first, then the ignored high half
        const old = Atomics.exchange(halves, at + LOW_HALF, 0);
        halves[at + HIGH_HALF] = 0;
        return old !== 0 || this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
      }
    }
    return this.unmapPageAnyWalk(inputPage);
  }

  /** unmapPage through whichever walk decides the page: direct, recorded or general */
  private unmapPageAnyWalk(inputPage: number): UpdateResult {
    if (!(inputPage >= 0 && inputPage < this.inputPages && Number.isInteger(inputPage))) return RESULT_BAD_PAR;
    if (!this.fastLeaves || this.mergeTables) return this.update(inputPage, 0, 0, 0, undefined);
    let walkFlush = false;
    let halves: Int32Array;
    let at: number;
    const pageLow = inputPage >>> 0;
    const pageHigh = (inputPage * TWO_POW_MINUS_32) | 0;
    if (this.windowWalk(pageLow, pageHigh) || this.directWalk(pageLow, pageHigh)) {
      halves = this.directHalves;
      at = this.directBase + 2 * (inputPage & 511);
    } else {
      if (this.walkTo(inputPage, 0, true) === undefined) return this.walkOutOfMemory ? RESULT_MEM_CAP : RESULT_NO_FLUSH;
      walkFlush = this.walkFlush;
      halves = this.walkHalves;
      at = 2 * (this.walkBase + (inputPage & 511));
    }
    if (halves[at + LOW_HALF] === 0 && halves[at + HIGH_HALF] === 0) return walkFlush || this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
    const old = Atomics.exchange(halves, at + LOW_HALF, 0);
    halves[at + HIGH_HALF] = 0;
    // a level-0 slot holds a leaf or nothing; any removed leaf may sit in a TLB
    return old !== 0 || walkFlush || this.policy.notPresent ? RESULT_FLUSH : RESULT_NO_FLUSH;
  }

  /**
   * The output page (frame number) that input page `inputPage` translates to, or -1 when it is
   * not mapped: a walk without BigInt and without building a Translation, for callers that only
   * need the address (DMA, the benchmarks). Permissions are not checked; lookup() reports them.
   */
  translatePage(inputPage: number): number {
    // the window walk, and nothing else, inline (as in mapPage)
    if (this.windowRootOffset >= 0 && inputPage >= 0 && inputPage < this.inputPages) {
      const inWindow = this.windowTranslate(inputPage);
      if (inWindow !== WALK_UNDECIDED) return inWindow;
    }
    return this.translatePageAnyWalk(inputPage);
  }

  /** translatePage through the direct, recorded or general walk */
  private translatePageAnyWalk(inputPage: number): number {
    if (!(inputPage >= 0 && inputPage < this.inputPages)) return -1;
    if (this.directRootFrame >= 0) {
      const direct = this.directTranslate(inputPage);
      if (direct !== WALK_UNDECIDED) return direct;
    }
    const found = this.recordedWalk(inputPage);
    if (found !== WALK_UNDECIDED) return found;
    // a table not yet recorded or a leaf not yet learnt: the general walk, which records and
    // learns what it meets, so the next call stays on the recorded path
    const translation = this.lookup(BigInt(inputPage) << 12n);
    return translation === undefined ? -1 : Number(translation.outputAddress >> 12n);
  }

  /**
   * The direct walk of mapPage and unmapPage, as hardware walks (reference/paging.md §2.4; nova.md
   * §3.1): from the root's frame down to the level-0 table of page (pageLow, pageHigh), each
   * entry read as its two 32-bit halves from PhysicalMemory's chunk view and followed when its
   * bits other than the address are the table bits learnt for that level. true: directHalves
   * and directBase locate the level-0 table. false: something else is on the way (a hole, a
   * leaf, a table not yet learnt, a frame without a chunk view); the caller takes walkTo, which
   * decides every case, installs tables by compare-and-swap and learns what it meets.
   *
   * Why two plain 32-bit reads are enough (no 64-bit atomic load exists in JS without BigInt
   * allocation): a table entry appears in a slot only through a 64-bit compare-and-swap from a
   * hole or a leaf, and leaves the slot only through a 64-bit exchange (tearDown, update), so a
   * torn pair (the halves of two different values) can only be read while the slot changes
   * between the two reads. The low half is read again after the high half and the entry is used
   * only if it is unchanged: a torn pair would need the slot to change twice, back to the same
   * low half, within those few nanoseconds. A table read just before it is torn down is the
   * staleness NOVA allows any walker: it stays on the waitlist, not freed, until the flush
   * (nova.md §3.4). (Plain Int32Array reads over a SharedArrayBuffer are tear-free per element in
   * the ECMAScript memory model; V8 does not merge typed-array loads, so the re-read is a read.)
   */
  private directWalk(pageLow: number, pageHigh: number): boolean {
    let frame = this.directRootFrame;
    if (frame < 0) return false;
    const chunks = this.chunkViews;
    const maskLow = this.leafMaskLow[0] as number;
    const maskHigh = this.leafMaskHigh[0] as number;
    let halves = chunks[frame >>> PHYSICAL_CHUNK_SHIFT];
    for (let level = this.top; level > 0; level--) {
      if (halves === undefined) return false;
      const at = ((frame & CHUNK_FRAME_MASK) << 10) + 2 * slotIndex(pageLow, pageHigh, level);
      const low = halves[at] as number;
      const high = halves[at + 1] as number;
      if (
        (low & ~maskLow) !== this.tableBitsLow[level] ||
        (high & ~maskHigh) !== this.tableBitsHigh[level] ||
        this.tableKnown[level] !== true ||
        halves[at] !== low
      ) {
        return false;
      }
      // a table's frame number: address bits 51:32 from the high half, 31:12 from the low half
      frame = (high & maskHigh) * 0x10_0000 + ((low & maskLow) >>> 12);
      if (frame >= DIRECT_FRAME_LIMIT) return false;
      halves = chunks[frame >>> PHYSICAL_CHUNK_SHIFT];
    }
    if (halves === undefined) return false;
    this.directHalves = halves;
    this.directBase = (frame & CHUNK_FRAME_MASK) << 10;
    return true;
  }

  /**
   * directWalk for tables that all lie in PhysicalMemory's window (the kernel keeps its memory in
   * one: kernelMemoryWindow), through the window's one flat view: the view is the same at every
   * level, so V8 checks it once per walk instead of once per table, and a step is int32
   * arithmetic on the frame's offset in the window. The same checks as directWalk (read that
   * comment for why two 32-bit reads are enough); false as soon as a table lies outside the window
   * or anything else is on the way, and the caller takes directWalk.
   */
  private windowWalk(pageLow: number, pageHigh: number): boolean {
    let offset = this.windowRootOffset;
    if (offset < 0) return false;
    const window = this.windowHalves;
    const first = this.windowFirstFrame;
    const frames = this.windowFrames;
    const bits = this.windowBits;
    const maskLow = this.leafMaskLow[0] as number;
    const maskHigh = this.leafMaskHigh[0] as number;
    for (let level = this.top; level > 0; level--) {
      const at = (offset << 10) + 2 * slotIndex(pageLow, pageHigh, level);
      const low = window[at] as number;
      const high = window[at + 1] as number;
      const upper = high & maskHigh;
      if ((low & ~maskLow) !== bits[2 * level] || (high & ~maskHigh) !== bits[2 * level + 1] || window[at] !== low || upper > 0x7ff) return false;
      // the table's frame number (below 2^31: address bits 51:43 clear) and its offset in the window
      offset = ((upper << 20) | ((low & maskLow) >>> 12)) - first;
      if (!(offset >= 0 && offset < frames)) return false;
    }
    this.directHalves = window;
    this.directBase = offset << 10;
    return true;
  }

  /**
   * translatePage's walk through the window for a 4 KiB leaf: windowWalk's steps down to the
   * level-0 table, then that leaf's check (its bits other than the frame those of a leaf decoded
   * there before, the low half read again after the high half). Returns the output page, -1 for
   * an all-zero slot on the way, or WALK_UNDECIDED for anything else (a large leaf, a table
   * outside the window), which directTranslate and the recorded walk decide. The leaf is checked
   * after the loop, not in it: one loop that tested every level for a leaf as well as a table ran
   * at half the speed (measured). The table steps repeat windowWalk's on purpose: windowWalk hands
   * its result back through fields, which this hottest lookup path does without.
   */
  private windowTranslate(page: number): number {
    const pageLow = page >>> 0;
    const pageHigh = (page * TWO_POW_MINUS_32) | 0;
    const window = this.windowHalves;
    const first = this.windowFirstFrame;
    const frames = this.windowFrames;
    const bits = this.windowBits;
    const maskLow = this.leafMaskLow[0] as number;
    const maskHigh = this.leafMaskHigh[0] as number;
    let offset = this.windowRootOffset;
    for (let level = this.top; level > 0; level--) {
      const at = (offset << 10) + 2 * slotIndex(pageLow, pageHigh, level);
      const low = window[at] as number;
      const high = window[at + 1] as number;
      const upper = high & maskHigh;
      if ((low & ~maskLow) !== bits[2 * level] || (high & ~maskHigh) !== bits[2 * level + 1] || window[at] !== low || upper > 0x7ff) {
        return low === 0 && high === 0 ? -1 : WALK_UNDECIDED;
      }
      offset = ((upper << 20) | ((low & maskLow) >>> 12)) - first;
      if (!(offset >= 0 && offset < frames)) return WALK_UNDECIDED;
    }
    const at = (offset << 10) + 2 * (pageLow & 511);
    const low = window[at] as number;
    const high = window[at + 1] as number;
    if ((low & ~maskLow) === bits[0] && (high & ~maskHigh) === bits[1] && window[at] === low) {
      return ((high & maskHigh) >>> 0) * 0x10_0000 + ((low & maskLow) >>> 12);
    }
    return low === 0 && high === 0 ? -1 : WALK_UNDECIDED;
  }

  /**
   * translatePage's direct walk: directWalk's steps down to a leaf at any level whose bits other
   * than the address are those of a leaf decoded there before (learnLeaf), read like a table entry
   * (the low half again after the high half). Returns the output page, -1 for an all-zero slot,
   * or WALK_UNDECIDED for anything else (the recorded and general walks decide it).
   */
  private directTranslate(page: number): number {
    const pageLow = page >>> 0;
    const pageHigh = (page * TWO_POW_MINUS_32) | 0;
    const chunks = this.chunkViews;
    const maskLow = this.leafMaskLow[0] as number;
    const maskHigh = this.leafMaskHigh[0] as number;
    let frame = this.directRootFrame;
    for (let level = this.top; ; level--) {
      const halves = chunks[frame >>> PHYSICAL_CHUNK_SHIFT];
      if (halves === undefined) return WALK_UNDECIDED;
      const at = ((frame & CHUNK_FRAME_MASK) << 10) + 2 * slotIndex(pageLow, pageHigh, level);
      const low = halves[at] as number;
      const high = halves[at + 1] as number;
      if (
        level > 0 &&
        (low & ~maskLow) === this.tableBitsLow[level] &&
        (high & ~maskHigh) === this.tableBitsHigh[level] &&
        this.tableKnown[level] === true &&
        halves[at] === low
      ) {
        frame = (high & maskHigh) * 0x10_0000 + ((low & maskLow) >>> 12);
        if (frame >= DIRECT_FRAME_LIMIT) return WALK_UNDECIDED;
        continue;
      }
      const leafMaskLow = this.leafMaskLow[level] as number;
      const leafMaskHigh = this.leafMaskHigh[level] as number;
      if (
        (low & ~leafMaskLow) === this.leafBitsLow[level] &&
        (high & ~leafMaskHigh) === this.leafBitsHigh[level] &&
        this.leafKnown[level] === true &&
        halves[at] === low
      ) {
        const leafFrame = ((high & leafMaskHigh) >>> 0) * 0x10_0000 + ((low & leafMaskLow) >>> 12);
        return level === 0 ? leafFrame : leafFrame + (page % (this.span[level] as number));
      }
      return low === 0 && high === 0 ? -1 : WALK_UNDECIDED;
    }
  }

  /**
   * The walk of translatePage and lookup through the walker's records (TableNode), without BigInt:
   * the output page of `page`, -1 when an all-zero slot shows it unmapped, or WALK_UNDECIDED when
   * it meets a slot it has no record or learnt leaf for. On success walkLevel and walkAllowed say
   * which level's leaf it was and what the tables on the path allow.
   */
  private recordedWalk(page: number): number {
    const pageLow = page >>> 0;
    const pageHigh = Math.floor(page / TWO_POW_32);
    let allowed = -1;
    let level = this.top;
    let index = Math.floor(page / (this.span[level] as number));
    let node = this.rootNodes[index >> 9] as TableNode;
    // the halves of `node`, carried separately from it
    let halves = node.halves;
    let base = node.base;
    index &= 511;
    for (;;) {
      const at = 2 * (base + index);
      const low = halves[at + LOW_HALF] as number;
      const high = halves[at + HIGH_HALF] as number;
      if (level > 0) {
        const child = node.children[index];
        const record = node.childRecord;
        const k = RECORD_WORDS * index;
        if (child !== undefined && low === record[k] && high === record[k + 1]) {
          // the slot still holds the table entry recorded for it: follow it without BigInt
          allowed &= node.childAllowed[index] as number;
          halves = child.halves;
          base = record[k + 2] as number;
          node = child;
          level -= 1;
          index = slotIndex(pageLow, pageHigh, level);
          continue;
        }
      }
      if (
        this.leafKnown[level] === true &&
        (low & ~(this.leafMaskLow[level] as number)) === this.leafBitsLow[level] &&
        (high & ~(this.leafMaskHigh[level] as number)) === this.leafBitsHigh[level] &&
        halves[at + LOW_HALF] === low
      ) {
        // a leaf with the attribute bits of one decoded before, its low half unchanged after the
        // high half was read (a concurrent exchange clears the low half first: see unmapPage)
        const frame = ((high & (this.leafMaskHigh[level] as number)) >>> 0) * 0x10_0000 + ((low & (this.leafMaskLow[level] as number)) >>> 12);
        this.walkLevel = level;
        this.walkAllowed = allowed;
        return level === 0 ? frame : frame + (page % (this.span[level] as number));
      }
      return low === 0 && high === 0 ? -1 : WALK_UNDECIDED;
    }
  }

  /** mapPage's template: the bits of a 4 KiB leaf with these permissions and attributes minus its frame, as halves */
  private learnPageLeaf(outputPage: number, permissions: number, attributes: MemoryAttributes): void {
    const frame = BigInt(outputPage) << 12n;
    // encoded at the real frame: an address the format rejects throws here, as in update()
    const bits = this.format.encodeLeaf(frame, 0, permissions, attributes) - frame;
    this.pageLeafLow = lowHalf(bits);
    this.pageLeafHigh = highHalf(bits);
    this.pageLeafPermissions = permissions;
    this.pageLeafAttributes = attributes;
  }

  lookup(input: bigint): Translation | undefined {
    // page number and offset as doubles: exact, and no BigInt arithmetic below 2^53
    const value = Number(input);
    let page: number;
    let pageOffset: number;
    if (value >= 0 && value < EXACT_DOUBLE_LIMIT) {
      if (value >= this.inputLimitNumber) return undefined;
      page = Math.floor(value / FRAME_SIZE);
      pageOffset = value - page * FRAME_SIZE;
    } else {
      if (input < 0n || input >= this.inputLimit) return undefined;
      page = Number(input >> 12n);
      pageOffset = Number(input & 0xfffn);
    }
    const found = this.recordedWalk(page);
    if (found === -1) return undefined;
    if (found !== WALK_UNDECIDED) {
      const level = this.walkLevel;
      const allowed = this.walkAllowed;
      let attributes = this.leafAttributes[level] as MemoryAttributes;
      if ((allowed & PATH_PERMISSION_USER) === 0 && attributes.user) attributes = { ...attributes, user: false };
      return {
        // found < 2^40 pages: the byte address is an exact double
        outputAddress: BigInt(found * FRAME_SIZE + pageOffset),
        permissions: (this.leafPermissions[level] as number) & allowed & MEMORY_PERMISSIONS_ALL,
        attributes,
        order: BITS_PER_LEVEL * level,
      };
    }
    return this.atomicLookup(input, page);
  }

  /**
   * lookup's general walk: every entry read as one 64-bit atomic and classified through the
   * format; tables are recorded and leaves learnt on the way, for the recorded walk next time.
   */
  private atomicLookup(input: bigint, page: number): Translation | undefined {
    const pageLow = page >>> 0;
    const pageHigh = Math.floor(page / TWO_POW_32);
    let allowed = -1;
    let level = this.top;
    let index = Math.floor(page / (this.span[level] as number));
    let node = this.rootNodes[index >> 9] as TableNode;
    index &= 511;
    for (;;) {
      const raw = Atomics.load(node.words, index);
      if (raw === 0n) return undefined;
      const entry = BigInt.asUintN(64, raw);
      const kind = this.kindOf(entry, level);
      if (kind === EntryKind.HOLE) return undefined;
      if (kind === EntryKind.LEAF) return this.decodedTranslation(entry, level, input, allowed);
      const parent = node;
      node = this.recordChild(parent, index, raw, this.addressOf(entry, level), level);
      allowed &= parent.childAllowed[index] as number;
      level -= 1;
      index = slotIndex(pageLow, pageHigh, level);
    }
  }

  /** lookup's slow path for a leaf: decode it, and remember its attribute bits for the fast path */
  private decodedTranslation(entry: bigint, level: number, input: bigint, allowed: number): Translation | undefined {
    const decoded = this.format.decode(entry, level);
    if (decoded.type !== "leaf") return undefined;
    if (this.fastLeaves) this.learnLeaf(entry, decoded.address, decoded.permissions, decoded.attributes, level);
    let attributes = decoded.attributes;
    if ((allowed & PATH_PERMISSION_USER) === 0 && attributes.user) attributes = { ...attributes, user: false };
    return {
      outputAddress: decoded.address + (input & (this.offsetMask[level] as bigint)),
      permissions: decoded.permissions & allowed & MEMORY_PERMISSIONS_ALL,
      attributes,
      order: BITS_PER_LEVEL * level,
    };
  }

  /**
   * Remember a decoded leaf's attribute bits (the entry minus its frame address) as halves. Only
   * when the address really is the entry's bits under leafAddressMask: a linear format that kept
   * anything else there would make the halves fast path wrong, so it simply is not used for it.
   * The fast path also takes an entry's kind from its bits outside the frame address (a slot whose
   * other bits equal a decoded leaf's is that kind of leaf), which holds for every format here:
   * present, PS or block/table bits never sit inside the address field.
   */
  private learnLeaf(entry: bigint, address: bigint, permissions: number, attributes: MemoryAttributes, level: number): void {
    const mask = this.leafAddressMask[level] as bigint;
    if ((entry & mask) !== address) return;
    const bits = BigInt.asIntN(64, entry & ~mask);
    if (bits === 0n) return;
    this.leafBitsLow[level] = lowHalf(bits);
    this.leafBitsHigh[level] = highHalf(bits);
    this.leafPermissions[level] = permissions;
    this.leafAttributes[level] = attributes;
    this.leafKnown[level] = true;
    if (level === 0) {
      this.windowBits[0] = lowHalf(bits);
      this.windowBits[1] = highHalf(bits);
    }
  }

  leaves(input: bigint, order: number): LeafBlock[] {
    const blocks: LeafBlock[] = [];
    // ranges are in whole pages, like every other operation here
    if (input < 0n || (input & 0xfffn) !== 0n || !Number.isInteger(order) || order < 0) return blocks;
    const start = input;
    const end = minBig(input + (1n << BigInt(order + PAGE_BITS)), this.inputLimit);
    if (start >= end) return blocks;
    this.collectLeaves(this.rootAddress, this.top, 0n, this.format.rootEntries, start, end, blocks);
    return blocks;
  }

  releaseWaitlisted(): number {
    const count = this.waitlist.length;
    for (const table of this.waitlist.splice(0)) this.allocator.freeTable(table);
    return count;
  }

  dump(): Uint8Array {
    const parts: Uint8Array[] = [];
    this.dumpTable(this.rootAddress, this.top, this.format.rootEntries, parts);
    let length = 0;
    for (const part of parts) length += part.length;
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return bytes;
  }

  stats(): TableMemoryStats {
    const tablesPerLevel = new Array<number>(this.format.levels).fill(0);
    const leavesByOrder: Record<number, number> = {};
    for (let level = 0; level <= this.leafLevelLimit; level++) leavesByOrder[BITS_PER_LEVEL * level] = 0;
    this.countTable(this.rootAddress, this.top, this.format.rootEntries, tablesPerLevel, leavesByOrder);
    const tables = tablesPerLevel.reduce((sum, count) => sum + count, 0) - 1 + this.rootFrames;
    return { levels: this.format.levels, tablesPerLevel, leavesByOrder, bytesUsed: tables * FRAME_SIZE };
  }

  /** tables waiting for releaseWaitlisted() */
  waitlistedCount(): number {
    return this.waitlist.length;
  }

  /** how many table publications lost a compare-and-swap race (each loser freed its table at once) */
  lostPublicationRaces(): number {
    return this.lostRaces;
  }

  /**
   * Tear the whole tree down, root included, onto the waitlist; the caller frees it with
   * releaseWaitlisted() after the last TLB invalidation. The table must not be used afterwards.
   */
  destroy(): void {
    for (let index = 0; index < this.format.rootEntries; index++) {
      const view = this.rootViews[index >> 9] as BigInt64Array;
      const old = Atomics.exchange(view, index & 511, 0n);
      if (old !== 0n) this.retireIfTable(old, this.top);
    }
    for (let frame = 0; frame < this.rootFrames; frame++) this.waitlist.push(this.rootAddress + BigInt(frame * FRAME_SIZE));
  }

  // ---------------------------------------------------------------------------------------------

  /** the first page of a valid update of [input, input + 2^order pages), or -1 */
  private validUpdate(input: bigint, order: number): number {
    if (!Number.isInteger(order) || order < 0 || order > this.format.inputBits - PAGE_BITS) return -1;
    const page = alignedPage(input);
    // page < 2^52 and 2^order <= 2^45 here, so the sum is exact
    if (page < 0 || page + 2 ** order > this.inputPages) return -1;
    return page;
  }

  /**
   * nova.md §3.1 update: split [page, page + 2^order) into the largest naturally aligned chunks
   * whose level is at most min(order / 9, maxLeafLevel) (removals may write holes up to the root
   * level), and write each run of same-level slots of one table with atomic exchanges.
   */
  private update(
    inputPage: number,
    outputPage: number,
    order: number,
    permissions: number,
    attributes: MemoryAttributes | undefined,
  ): UpdateResult {
    const format = this.format;
    const removing = attributes === undefined;
    const maxLevel = Math.min(Math.floor(order / BITS_PER_LEVEL), removing ? this.top : this.leafLevelLimit);
    const linear = format.linearLeafAddress === true;
    let remaining = 2 ** order;
    let page = inputPage;
    let outPage = outputPage;
    let flush = false;
    while (remaining > 0) {
      let level = maxLevel;
      while (
        level > 0 &&
        ((this.span[level] as number) > remaining ||
          page % (this.span[level] as number) !== 0 ||
          (!removing && outPage % (this.span[level] as number) !== 0))
      ) {
        level -= 1;
      }
      const span = this.span[level] as number;
      let index = level === this.top ? Math.floor(page / span) : slotIndex(page >>> 0, Math.floor(page / TWO_POW_32), level);
      // a run stays inside one 4 KiB table page (a concatenated root spans several)
      const run = Math.min(Math.floor(remaining / span), ENTRIES_PER_TABLE - (index % ENTRIES_PER_TABLE));
      let view = this.walkTo(page, level, removing);
      if (this.walkFlush) flush = true;
      if (view === undefined) {
        if (this.walkOutOfMemory) return RESULT_MEM_CAP;
        // removal met a hole above the target level: nothing is mapped in the hole's whole span
        const holeSpan = this.span[this.holeLevel] as number;
        const skip = Math.min(holeSpan - (page % holeSpan), remaining);
        page += skip;
        outPage += skip;
        remaining -= skip;
        continue;
      }
      if (level === this.top) {
        view = this.rootViews[index >> 9] as BigInt64Array;
        index &= 511;
      } else {
        // walkTo returned the view of the whole slab the table lives in
        index += this.walkBase;
      }
      let value = 0n;
      let step = 0n;
      if (!removing) {
        // outPage < 2^40 (outputBits <= 52): the byte address is an exact double
        value = this.encodeFirstLeaf(BigInt(outPage * FRAME_SIZE), level, permissions, attributes, linear);
        step = linear ? (this.slotBytes[level] as bigint) : 0n;
      }
      for (let slot = 0; slot < run; slot++) {
        if (!removing && !linear && slot > 0) {
          const frame = BigInt(outPage + slot * span) << 12n;
          value = BigInt.asIntN(64, format.encodeLeaf(frame, level, permissions, attributes));
        }
        const old = Atomics.exchange(view, index + slot, value);
        if (old !== value) {
          if (old !== 0n) {
            if (this.retireIfTable(old, level) || this.leafChangeNeedsFlush(old, value, level)) flush = true;
          } else if (this.policy.notPresent) {
            flush = true;
          }
        }
        value += step;
      }
      if (this.mergeTables && level < this.top && this.mergeUniform(level)) flush = true;
      const covered = run * span;
      page += covered;
      outPage += covered;
      remaining -= covered;
    }
    return flush ? RESULT_FLUSH : RESULT_NO_FLUSH;
  }

  /**
   * nova.md §3.4 "walk with allocation": descend to the table at `target`, installing a zeroed
   * table under a HOLE, or splintering a LEAF into 512 smaller leaves, and publishing either with
   * a compare-and-swap; a lost race frees the unpublished table at once and retries with the
   * value the CAS returned. A removal stops at a HOLE (returns undefined, holeLevel set).
   */
  private walkTo(page: number, target: number, removing: boolean): BigInt64Array | undefined {
    this.walkFlush = false;
    this.walkOutOfMemory = false;
    let level = this.top;
    let index = Math.floor(page / (this.span[level] as number));
    let node = this.rootNodes[index >> 9] as TableNode;
    index &= 511;
    const pageLow = page >>> 0;
    const pageHigh = Math.floor(page / TWO_POW_32);
    let words = node.slabWords;
    let slabHalves = node.halves;
    let base = node.base;
    // the path is only needed to merge tables back; storing it costs ~10 % of a map otherwise
    const trackPath = this.mergeTables;
    while (level > target) {
      if (trackPath) {
        this.pathView[level] = node.words;
        this.pathIndex[level] = index;
      }
      const halves = node.halves;
      const at = 2 * (node.base + index);
      let child = node.children[index];
      const record = node.childRecord;
      const k = RECORD_WORDS * index;
      if (child === undefined || halves[at + LOW_HALF] !== record[k] || halves[at + HIGH_HALF] !== record[k + 1]) {
        child = this.descend(node, index, level, removing);
        if (child === undefined) return undefined;
      }
      if (trackPath) this.pathRaw[level] = node.childRaw[index] as bigint;
      // the child's slab view and offset through this node's record: the target's own node
      // object stays untouched
      words = child.slabWords;
      slabHalves = child.halves;
      base = node.childRecord[RECORD_WORDS * index + 2] as number;
      node = child;
      level -= 1;
      index = slotIndex(pageLow, pageHigh, level);
    }
    if (trackPath) this.pathView[target] = node.words;
    this.walkBase = base;
    this.walkHalves = slabHalves;
    return words;
  }

  /**
   * walkTo's slow path for one slot of `node` at `level`: read it as one 64-bit atomic; follow a
   * table (recording it in the node), or install a zeroed table under a HOLE, or a splinter of a
   * LEAF, with a compare-and-swap. A removal stops at a HOLE (undefined, holeLevel set).
   */
  private descend(node: TableNode, index: number, level: number, removing: boolean): TableNode | undefined {
    const view = node.words;
    let raw = Atomics.load(view, index);
    for (;;) {
      const entry = BigInt.asUintN(64, raw);
      const kind = raw === 0n ? EntryKind.HOLE : this.kindOf(entry, level);
      if (kind === EntryKind.TABLE) return this.recordChild(node, index, raw, this.addressOf(entry, level), level);
      if (kind === EntryKind.HOLE && removing) {
        this.holeLevel = level;
        return undefined;
      }
      const table = this.allocator.allocateTable();
      if (table === undefined) {
        this.walkOutOfMemory = true;
        return undefined;
      }
      const words = this.memory.frameWords(table);
      if (kind === EntryKind.HOLE) words.fill(0n);
      else this.fillSplinter(words, entry, level);
      const published = BigInt.asIntN(64, this.format.encodeTable(table, level));
      this.options.beforePublish?.(node.address + BigInt(index * 8), level);
      const seen = Atomics.compareExchange(view, index, raw, published);
      if (seen !== raw) {
        // nobody can have seen the unpublished table: free it now and follow the winner
        this.allocator.freeTable(table);
        this.lostRaces += 1;
        raw = seen;
        continue;
      }
      if (kind === EntryKind.HOLE ? this.policy.notPresent : this.policy.splinter) this.walkFlush = true;
      return this.recordChild(node, index, published, table, level);
    }
  }

  /** The node of the table page at `address`, walked as a table of `level`. */
  private nodeFor(address: bigint, level: number): TableNode {
    const frameNumber = Number(address >> 12n);
    let node = this.nodes.get(frameNumber);
    if (node === undefined) {
      const words = this.memory.frameWords(address);
      node = new TableNode(address, words, this.slabOf(words), level);
      this.nodes.set(frameNumber, node);
    } else if (node.level !== level) {
      // a freed table page reused at another level: entry meanings may differ there
      node.reset(level);
    }
    return node;
  }

  /** Views of the whole buffer a frame's words live in (a PhysicalMemory slab or shared window). */
  private slabOf(words: BigInt64Array): SlabViews {
    const buffer = words.buffer;
    let slab = this.slabs.get(buffer);
    if (slab === undefined) {
      slab = { halves: new Int32Array(buffer), words: new BigInt64Array(buffer) };
      this.slabs.set(buffer, slab);
    }
    return slab;
  }

  /** Record that slot `index` of `node` (at `level`) holds table entry `raw` pointing to `childAddress`. */
  private recordChild(node: TableNode, index: number, raw: bigint, childAddress: bigint, level: number): TableNode {
    const child = this.nodeFor(childAddress, level - 1);
    const pathPermissions = this.format.pathPermissions;
    const k = RECORD_WORDS * index;
    node.childRecord[k] = lowHalf(raw);
    node.childRecord[k + 1] = highHalf(raw);
    node.childRecord[k + 2] = child.base;
    node.childRaw[index] = raw;
    node.childAllowed[index] = pathPermissions === undefined ? -1 : pathPermissions(BigInt.asUintN(64, raw), level);
    node.children[index] = child;
    this.learnTableBits(raw, childAddress, level);
    return child;
  }

  /**
   * Remember the bits of a table entry at `level` other than its table's address, as halves, for
   * the direct walk. Only when the entry holds the address verbatim under the level-0 address
   * mask (a format that kept anything else there simply never takes the direct walk at that
   * level), and only non-zero bits (a present entry never is zero). Like learnLeaf, this takes an
   * entry's kind from its bits outside the address, which holds for every format here.
   */
  private learnTableBits(raw: bigint, childAddress: bigint, level: number): void {
    const mask = this.leafAddressMask[0] as bigint;
    const entry = BigInt.asUintN(64, raw);
    if ((entry & mask) !== childAddress) return;
    const bits = BigInt.asIntN(64, entry & ~mask);
    if (bits === 0n) return;
    const low = lowHalf(bits);
    const high = highHalf(bits);
    if (this.tableKnown[level] === true && this.tableBitsLow[level] === low && this.tableBitsHigh[level] === high) return;
    this.tableBitsLow[level] = low;
    this.tableBitsHigh[level] = high;
    this.tableKnown[level] = true;
    this.windowBits[2 * level] = low;
    this.windowBits[2 * level + 1] = high;
  }

  /**
   * mergeUniformTables: after a run was written into the table at `level` (found by the last
   * walk), replace that table by a leaf or a hole in its parent slot while it is uniform, and go on
   * with the parent. The parent slot is updated with a compare-and-swap from the table pointer the
   * walk saw, so a concurrent change of the slot simply stops the merge.
   */
  private mergeUniform(level: number): boolean {
    let merged = false;
    for (let current = level; current < this.top; current++) {
      const words = this.pathView[current] as BigInt64Array;
      const replacement = this.uniformReplacement(words, current);
      if (replacement === undefined) break;
      const parentLevel = current + 1;
      const raw = this.pathRaw[parentLevel] as bigint;
      const parent = this.pathView[parentLevel] as BigInt64Array;
      if (Atomics.compareExchange(parent, this.pathIndex[parentLevel] as number, raw, replacement) !== raw) break;
      // the old table still reads as an equivalent mapping until the flush: waitlist it untouched
      this.waitlist.push(this.addressOf(BigInt.asUintN(64, raw), parentLevel));
      merged = true;
    }
    return merged;
  }

  /** The single entry equivalent to a uniform table at `level`, or undefined. */
  private uniformReplacement(words: BigInt64Array, level: number): bigint | undefined {
    const first = words[0] as bigint;
    if (first === 0n) {
      if (words[ENTRIES_PER_TABLE - 1] !== 0n) return undefined;
      for (let slot = 1; slot < ENTRIES_PER_TABLE - 1; slot++) if (words[slot] !== 0n) return undefined;
      return 0n;
    }
    if (!this.fastLeaves || level + 1 > this.leafLevelLimit) return undefined;
    const stride = this.slotBytes[level] as bigint;
    if (words[ENTRIES_PER_TABLE - 1] !== first + 511n * stride) return undefined;
    const entry = BigInt.asUintN(64, first);
    if (this.kindOf(entry, level) !== EntryKind.LEAF) return undefined;
    let expected = first + stride;
    for (let slot = 1; slot < ENTRIES_PER_TABLE - 1; slot++) {
      if (words[slot] !== expected) return undefined;
      expected += stride;
    }
    const decoded = this.format.decode(entry, level);
    if (decoded.type !== "leaf" || decoded.address % (this.slotBytes[level + 1] as bigint) !== 0n) return undefined;
    return BigInt.asIntN(64, this.format.encodeLeaf(decoded.address, level + 1, decoded.permissions, decoded.attributes));
  }

  /** encodeLeaf as a signed word; for linear formats the attribute bits of the last call are reused */
  private encodeFirstLeaf(
    frame: bigint,
    level: number,
    permissions: number,
    attributes: MemoryAttributes,
    linear: boolean,
  ): bigint {
    if (!linear) return BigInt.asIntN(64, this.format.encodeLeaf(frame, level, permissions, attributes));
    if (level !== this.encodedLevel || permissions !== this.encodedPermissions || attributes !== this.encodedAttributes) {
      // encode at frame 0 of the level would hide an invalid frame; encode the real one, keep its bits
      const entry = BigInt.asIntN(64, this.format.encodeLeaf(frame, level, permissions, attributes));
      // kept signed: the frame never carries into the attribute bits (bit 63 among them), so
      // signed bits + frame is the signed entry, without an asIntN per leaf
      this.encodedBits = entry - frame;
      this.encodedLevel = level;
      this.encodedPermissions = permissions;
      this.encodedAttributes = attributes;
      return entry;
    }
    return this.encodedBits + frame;
  }

  /** A splintered leaf: 512 leaves one level down with the old stride, permissions and attributes. */
  private fillSplinter(words: BigInt64Array, leafEntry: bigint, level: number): void {
    const decoded = this.format.decode(leafEntry, level);
    if (decoded.type !== "leaf") throw new Error("unreachable: splintering a non-leaf");
    const childLevel = level - 1;
    const stride = this.slotBytes[childLevel] as bigint;
    if (this.format.linearLeafAddress === true) {
      let value = BigInt.asIntN(64, this.format.encodeLeaf(decoded.address, childLevel, decoded.permissions, decoded.attributes));
      for (let slot = 0; slot < ENTRIES_PER_TABLE; slot++) {
        words[slot] = value;
        value += stride;
      }
      return;
    }
    for (let slot = 0; slot < ENTRIES_PER_TABLE; slot++) {
      const frame = decoded.address + BigInt(slot) * stride;
      words[slot] = BigInt.asIntN(64, this.format.encodeLeaf(frame, childLevel, decoded.permissions, decoded.attributes));
    }
  }

  /** If `old` (an entry at `level`) pointed to a table, tear that subtree down onto the waitlist. */
  private retireIfTable(old: bigint, level: number): boolean {
    if (level === 0) return false;
    const entry = BigInt.asUintN(64, old);
    if (this.kindOf(entry, level) !== EntryKind.TABLE) return false;
    this.tearDown(this.addressOf(entry, level), level - 1);
    return true;
  }

  /** nova.md §3.4: each child slot is exchanged with 0, then the table page is waitlisted. */
  private tearDown(table: bigint, level: number): void {
    const words = this.memory.frameWords(table);
    for (let slot = 0; slot < ENTRIES_PER_TABLE; slot++) {
      const old = Atomics.exchange(words, slot, 0n);
      if (old !== 0n) this.retireIfTable(old, level);
    }
    this.waitlist.push(table);
  }

  /** nova.md §3.4 rules for a slot that held something and now holds something else. */
  private leafChangeNeedsFlush(old: bigint, value: bigint, level: number): boolean {
    const oldEntry = BigInt.asUintN(64, old);
    const oldKind = this.kindOf(oldEntry, level);
    if (oldKind === EntryKind.HOLE) return this.policy.notPresent;
    if (value === 0n || this.policy.upgrade) return true;
    const before = this.format.decode(oldEntry, level);
    const after = this.format.decode(BigInt.asUintN(64, value), level);
    if (before.type !== "leaf" || after.type !== "leaf") return true;
    if (before.address !== after.address || !sameAttributes(before.attributes, after.attributes)) return true;
    return (before.permissions & ~after.permissions) !== 0;
  }

  private kindOf(entry: bigint, level: number): EntryKind {
    const format = this.format;
    if (format.entryKind !== undefined) return format.entryKind(entry, level);
    const type = format.decode(entry, level).type;
    return type === "hole" ? EntryKind.HOLE : type === "table" ? EntryKind.TABLE : EntryKind.LEAF;
  }

  private addressOf(entry: bigint, level: number): bigint {
    const format = this.format;
    if (format.entryAddress !== undefined) return format.entryAddress(entry, level);
    const decoded = format.decode(entry, level);
    return decoded.type === "hole" ? 0n : decoded.address;
  }

  private allocateRoot(): bigint {
    const root =
      this.rootFrames === 1
        ? this.allocator.allocateTable()
        : this.allocator.allocateTables?.(this.rootFrames);
    if (root === undefined) {
      throw new NovakitError(
        "NK-MEM-007",
        this.rootFrames === 1 || this.allocator.allocateTables !== undefined
          ? `no memory for the root table of a ${this.format.name} page table`
          : `a ${this.format.name} root needs ${this.rootFrames} contiguous tables, and the table allocator cannot provide them`,
        { field: "rootTable" },
      );
    }
    for (let frame = 0; frame < this.rootFrames; frame++) this.memory.frameWords(root + BigInt(frame * FRAME_SIZE)).fill(0n);
    return root;
  }

  private collectLeaves(
    table: bigint,
    level: number,
    base: bigint,
    entries: number,
    start: bigint,
    end: bigint,
    blocks: LeafBlock[],
  ): void {
    const size = this.slotBytes[level] as bigint;
    const first = start > base ? Number((start - base) / size) : 0;
    for (let slot = first; slot < entries; slot++) {
      const slotBase = base + BigInt(slot) * size;
      if (slotBase >= end) break;
      const entry = this.memory.read64(table + BigInt(slot * 8));
      if (entry === 0n) continue;
      const decoded = this.format.decode(entry, level);
      if (decoded.type === "table") {
        this.collectLeaves(decoded.address, level - 1, slotBase, ENTRIES_PER_TABLE, start, end, blocks);
      } else if (decoded.type === "leaf") {
        const clipStart = maxBig(slotBase, start);
        const clipEnd = minBig(slotBase + size, end);
        pushAlignedBlocks(clipStart, clipEnd, decoded.address + (clipStart - slotBase), decoded.permissions, decoded.attributes, blocks);
      }
    }
  }

  private dumpTable(table: bigint, level: number, entries: number, parts: Uint8Array[]): void {
    parts.push(this.memory.readBytes(table, entries * 8));
    if (level === 0) return;
    for (let slot = 0; slot < entries; slot++) {
      const entry = this.memory.read64(table + BigInt(slot * 8));
      if (entry === 0n || this.kindOf(entry, level) !== EntryKind.TABLE) continue;
      this.dumpTable(this.addressOf(entry, level), level - 1, ENTRIES_PER_TABLE, parts);
    }
  }

  private countTable(
    table: bigint,
    level: number,
    entries: number,
    tablesPerLevel: number[],
    leavesByOrder: Record<number, number>,
  ): void {
    tablesPerLevel[level] = (tablesPerLevel[level] ?? 0) + 1;
    for (let slot = 0; slot < entries; slot++) {
      const entry = this.memory.read64(table + BigInt(slot * 8));
      if (entry === 0n) continue;
      const kind = this.kindOf(entry, level);
      if (kind === EntryKind.TABLE) {
        this.countTable(this.addressOf(entry, level), level - 1, ENTRIES_PER_TABLE, tablesPerLevel, leavesByOrder);
      } else if (kind === EntryKind.LEAF) {
        const order = BITS_PER_LEVEL * level;
        leavesByOrder[order] = (leavesByOrder[order] ?? 0) + 1;
      }
    }
  }
}

/** Split [start, end) into the largest naturally aligned power-of-two blocks. */
function pushAlignedBlocks(
  start: bigint,
  end: bigint,
  output: bigint,
  permissions: number,
  attributes: MemoryAttributes,
  blocks: LeafBlock[],
): void {
  let input = start;
  let out = output;
  while (input < end) {
    let order = 0;
    while (true) {
      const next = 1n << BigInt(order + 1 + PAGE_BITS);
      if (input % next !== 0n || out % next !== 0n || input + next > end) break;
      order += 1;
    }
    blocks.push({ inputAddress: input, outputAddress: out, order, permissions, attributes });
    const size = 1n << BigInt(order + PAGE_BITS);
    input += size;
    out += size;
  }
}

function sameAttributes(a: MemoryAttributes, b: MemoryAttributes): boolean {
  return (
    a.cache === b.cache &&
    a.keyId === b.keyId &&
    a.user === b.user &&
    a.kernel === b.kernel &&
    a.global === b.global &&
    a.shadowStack === b.shadowStack
  );
}

function validateFormat(format: PageTableFormat): void {
  const fail = (field: string, message: string): never => {
    throw new NovakitError("NK-MEM-008", `page-table format ${format.name}: ${message}`, { field });
  };
  if (!Number.isInteger(format.levels) || format.levels < 1 || format.levels > 6) fail("levels", `${format.levels} levels`);
  if (!Number.isInteger(format.maxLeafLevel) || format.maxLeafLevel < 0) fail("maxLeafLevel", `leaf level ${format.maxLeafLevel}`);
  const root = format.rootEntries;
  if (!Number.isInteger(root) || root < 1 || (root & (root - 1)) !== 0 || root > 16 * ENTRIES_PER_TABLE) {
    fail("rootEntries", `${root} root entries is not a power of two up to 8192`);
  }
  const reach = PAGE_BITS + BITS_PER_LEVEL * (format.levels - 1) + Math.log2(root);
  if (!Number.isInteger(format.inputBits) || format.inputBits < PAGE_BITS || format.inputBits > reach || format.inputBits > 64) {
    fail("inputBits", `${format.inputBits} input bits do not fit ${format.levels} levels and ${root} root entries`);
  }
  if (!Number.isInteger(format.outputBits) || format.outputBits < PAGE_BITS || format.outputBits > 52) {
    fail("outputBits", `${format.outputBits} output bits (at most 52)`);
  }
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** exact reciprocals of powers of two: x * 2^-32 is x / 2^32 without a division */
const TWO_POW_MINUS_32 = 2 ** -32;
const TWO_POW_MINUS_20 = 2 ** -20;
/** frames a chunk view holds, minus one */
const CHUNK_FRAME_MASK = 2 ** PHYSICAL_CHUNK_SHIFT - 1;
/** frames below 2^31 take `>>> PHYSICAL_CHUNK_SHIFT` to their chunk number; the direct walk stays below */
const DIRECT_FRAME_LIMIT = 2 ** 31;

/** below 2^53 a bigint converts to a double exactly */
const EXACT_DOUBLE_LIMIT = 2 ** 53;
const TWO_POW_32 = 2 ** 32;

/**
 * Page number of a non-negative, 4 KiB aligned address, or -1. Addresses below 2^53 (all real
 * ones) take the double path: one conversion, no BigInt arithmetic.
 */
function alignedPage(address: bigint): number {
  const value = Number(address);
  if (value >= 0 && value < EXACT_DOUBLE_LIMIT) {
    const page = Math.floor(value / FRAME_SIZE);
    return page * FRAME_SIZE === value ? page : -1;
  }
  if (address < 0n || (address & 0xfffn) !== 0n) return -1;
  return Number(address >> 12n);
}

/**
 * The slot index at `level` of a page number given as its low and high 32 bits: bits
 * 9·level+8 .. 9·level of the page, with int32 shifts instead of double division and modulo
 * (a double `%` is a call to fmod, the most expensive step of a walk before this).
 */
function slotIndex(pageLow: number, pageHigh: number, level: number): number {
  const shift = BITS_PER_LEVEL * level;
  if (shift < 24) return (pageLow >>> shift) & 511;
  if (shift < 32) return ((pageLow >>> shift) | (pageHigh << (32 - shift))) & 511;
  return (pageHigh >>> (shift - 32)) & 511;
}

/** numbers per slot in TableNode.childRecord: entry low half, entry high half, child base */
const RECORD_WORDS = 3;

/** recordedWalk's answer when its records cannot decide (the general walk must) */
const WALK_UNDECIDED = -2;

/** walkHalves before the first walk */
const EMPTY_HALVES = new Int32Array(0);

/** Int32Array index of the low and high 32-bit half of a 64-bit entry on this machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW_HALF = LITTLE_ENDIAN ? 0 : 1;
const HIGH_HALF = 1 - LOW_HALF;

/** bits 31:0 of a 64-bit word as a signed 32-bit number (what an Int32Array element reads) */
function lowHalf(word: bigint): number {
  return Number(BigInt.asIntN(32, word));
}

/** bits 63:32 of a 64-bit word as a signed 32-bit number */
function highHalf(word: bigint): number {
  return Number(BigInt.asIntN(32, word >> 32n));
}

/**
 * The walker's cache of one table page, a software paging-structure cache: the page's entries as
 * a BigInt64Array (for the 64-bit atomics every write uses: CAS publication, exchange of leaves)
 * and as an Int32Array of 32-bit halves over the same SharedArrayBuffer (reads without BigInt
 * allocation), plus, per slot, the last table entry seen there and the node of the table it
 * points to, with that entry's path permissions.
 *
 * A record is followed only while the slot holds exactly the recorded value, and a value fully
 * determines the table it points to, so records never go stale; tables torn down or merged simply
 * stop matching. Why two 32-bit reads are enough here (JS has no allocation-free 64-bit atomic
 * load): tables are installed and present leaves replaced by one 64-bit atomic, and a leaf put
 * into a hole has its high half written before the compare-and-swap of the low half that makes it
 * present (mapPage), so a torn pair (low half of one value, high half of another) is possible only
 * while the slot changes between the two reads. A torn table pair is
 * followed only if it equals a recorded value, i.e. a table pointer this slot really held; using it
 * is the staleness NOVA already allows hardware walkers with paging-structure caches, bounded by
 * the waitlist: a table leaves the tree onto the waitlist and is freed only after the flush
 * (nova.md §3.4). A leaf read as halves re-reads its low half after its high half and is used
 * only when that is unchanged (a removal clears the low half first); every other slot content
 * (new tables, unknown leaves) goes to the general walk, which reads one 64-bit Atomics.load.
 * (Plain reads of an Int32Array over a SharedArrayBuffer are tear-free per element in the
 * ECMAScript memory model; an Atomics.load of one costs 11-70 ns on Node 20, a plain read ~2 ns.)
 */
interface SlabViews {
  readonly halves: Int32Array;
  readonly words: BigInt64Array;
}

class TableNode {
  /** the slab's halves; this table's entry i is at 2 * (base + i) (+ LOW_HALF / HIGH_HALF) */
  readonly halves: Int32Array;
  /** the slab's words; this table's entry i is at base + i */
  readonly slabWords: BigInt64Array;
  readonly base: number;
  level: number;
  /**
   * per slot, RECORD_WORDS numbers side by side (one cache line holds several slots): the low and
   * high half of the table entry last seen there, and the base of the child's entries in its slab
   */
  childRecord: Int32Array;
  childAllowed: Int32Array;
  childRaw: bigint[];
  children: (TableNode | undefined)[];

  constructor(
    readonly address: bigint,
    /** this table page alone (for the slow paths and 64-bit atomics by slot) */
    readonly words: BigInt64Array,
    slab: SlabViews,
    level: number,
  ) {
    this.halves = slab.halves;
    this.slabWords = slab.words;
    this.base = words.byteOffset / 8;
    this.level = level;
    // level-0 tables hold leaves only: no child records
    const slots = level > 0 ? ENTRIES_PER_TABLE : 0;
    this.childRecord = new Int32Array(RECORD_WORDS * slots);
    this.childAllowed = new Int32Array(slots);
    this.childRaw = new Array<bigint>(slots).fill(0n);
    this.children = new Array<TableNode | undefined>(slots).fill(undefined);
  }

  reset(level: number): void {
    const slots = level > 0 ? ENTRIES_PER_TABLE : 0;
    this.level = level;
    this.childRecord = new Int32Array(RECORD_WORDS * slots);
    this.childAllowed = new Int32Array(slots);
    this.childRaw = new Array<bigint>(slots).fill(0n);
    this.children = new Array<TableNode | undefined>(slots).fill(undefined);
  }
}
