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
import { FRAME_SIZE, type PhysicalMemory } from "./physical-memory.js";
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
  private readonly outputLimit: bigint;
  private readonly policy: InvalidationPolicy;
  /** the format stores frame addresses verbatim and offers entryAddress: leaves can be cached by their attribute bits */
  private readonly fastLeaves: boolean;
  private readonly mergeTables: boolean;
  /** tables torn down but possibly still cached by a walker; freed by releaseWaitlisted() */
  private readonly waitlist: bigint[] = [];
  /** per level: the last table entry followed and the view of the table it points to */
  private readonly cachedEntry: bigint[] = [];
  private readonly cachedView: (BigInt64Array | undefined)[] = [];
  /** the format's pathPermissions of cachedEntry (-1 when the format has none) */
  private readonly cachedAllowed: number[] = [];
  /** the path of the last walk, per level: the table's view, the slot index used in it, the entry found there */
  private readonly pathView: (BigInt64Array | undefined)[] = [];
  private readonly pathIndex: number[] = [];
  private readonly pathRaw: bigint[] = [];
  /** set by walkTo when a removal met a HOLE: the level of that hole */
  private holeLevel = -1;
  /** set by walkTo: a splinter or a new table made a flush necessary */
  private walkFlush = false;
  /** set by walkTo: allocation failed */
  private walkOutOfMemory = false;
  /**
   * Linear formats (entry = frame address + attribute bits): the attribute bits of the last leaf
   * decoded per level and what they decode to, so a lookup in a run of similar leaves skips decode.
   */
  private readonly leafBits: bigint[] = [];
  private readonly leafPermissions: number[] = [];
  private readonly leafAttributes: (MemoryAttributes | undefined)[] = [];
  /** the last encodeLeaf inputs and the attribute bits they produced (linear formats) */
  private encodedLevel = -1;
  private encodedPermissions = 0;
  private encodedAttributes: MemoryAttributes | undefined;
  private encodedBits = 0n;
  /** compare-and-swap publications lost to a concurrent writer (their tables were freed) */
  private lostRaces = 0;

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
      this.cachedEntry.push(0n);
      this.cachedView.push(undefined);
      this.cachedAllowed.push(-1);
      this.leafBits.push(-1n);
      this.pathView.push(undefined);
      this.pathIndex.push(0);
      this.pathRaw.push(0n);
      this.leafPermissions.push(0);
      this.leafAttributes.push(undefined);
    }
    this.inputLimit = 1n << BigInt(format.inputBits);
    this.outputLimit = 1n << BigInt(format.outputBits);
    this.policy = format.invalidation ?? DEFAULT_INVALIDATION_POLICY;
    this.fastLeaves = format.linearLeafAddress === true && format.entryAddress !== undefined;
    this.mergeTables = options.mergeUniformTables === true;
    this.rootFrames = Math.ceil(format.rootEntries / ENTRIES_PER_TABLE);
    this.rootAddress = options.rootAddress ?? this.allocateRoot();
    for (let frame = 0; frame < this.rootFrames; frame++) {
      this.rootViews.push(memory.frameWords(this.rootAddress + BigInt(frame * FRAME_SIZE)));
    }
  }

  map(input: bigint, output: bigint, order: number, permissions: number, attributes: MemoryAttributes): UpdateResult {
    if (permissions === 0) return this.unmap(input, order);
    if (!this.validUpdate(input, order) || !Number.isInteger(permissions) || (permissions & ~MEMORY_PERMISSIONS_ALL) !== 0) {
      return RESULT_BAD_PAR;
    }
    if (output < 0n || (output & 0xfffn) !== 0n || output + (1n << BigInt(order + PAGE_BITS)) > this.outputLimit) {
      return RESULT_BAD_PAR;
    }
    return this.update(Number(input >> 12n), Number(output >> 12n), order, permissions, attributes);
  }

  unmap(input: bigint, order: number): UpdateResult {
    if (!this.validUpdate(input, order)) return RESULT_BAD_PAR;
    return this.update(Number(input >> 12n), 0, order, 0, undefined);
  }

  lookup(input: bigint): Translation | undefined {
    if (input < 0n || input >= this.inputLimit) return undefined;
    const format = this.format;
    const page = Number(input >> 12n);
    let allowed = -1;
    let level = this.top;
    let index = Math.floor(page / (this.span[level] as number));
    let view = this.rootViews[index >> 9] as BigInt64Array;
    index &= 511;
    for (;;) {
      const raw = Atomics.load(view, index);
      if (raw === 0n) return undefined;
      if (raw === this.cachedEntry[level]) {
        // the table entry followed last time: its child view and path mask are known
        allowed &= this.cachedAllowed[level] as number;
        view = this.cachedView[level] as BigInt64Array;
        level -= 1;
        index = Math.floor(page / (this.span[level] as number)) % ENTRIES_PER_TABLE;
        continue;
      }
      const entry = BigInt.asUintN(64, raw);
      const kind = this.kindOf(entry, level);
      if (kind === EntryKind.HOLE) return undefined;
      if (kind === EntryKind.LEAF) {
        if (this.fastLeaves) {
          const address = (format.entryAddress as (entry: bigint, level: number) => bigint)(entry, level);
          if (entry - address === this.leafBits[level]) {
            let attributes = this.leafAttributes[level] as MemoryAttributes;
            if ((allowed & PATH_PERMISSION_USER) === 0 && attributes.user) attributes = { ...attributes, user: false };
            return {
              outputAddress: address + (input & (this.offsetMask[level] as bigint)),
              permissions: (this.leafPermissions[level] as number) & allowed & MEMORY_PERMISSIONS_ALL,
              attributes,
              order: BITS_PER_LEVEL * level,
            };
          }
        }
        const decoded = format.decode(entry, level);
        if (this.fastLeaves && decoded.type === "leaf") {
          this.leafBits[level] = entry - decoded.address;
          this.leafPermissions[level] = decoded.permissions;
          this.leafAttributes[level] = decoded.attributes;
        }
        if (decoded.type !== "leaf") return undefined;
        let attributes = decoded.attributes;
        if ((allowed & PATH_PERMISSION_USER) === 0 && attributes.user) attributes = { ...attributes, user: false };
        return {
          outputAddress: decoded.address + (input & (this.offsetMask[level] as bigint)),
          permissions: decoded.permissions & allowed & MEMORY_PERMISSIONS_ALL,
          attributes,
          order: BITS_PER_LEVEL * level,
        };
      }
      view = this.childViewAt(raw, this.addressOf(entry, level), level);
      allowed &= this.cachedAllowed[level] as number;
      level -= 1;
      index = Math.floor(page / (this.span[level] as number)) % ENTRIES_PER_TABLE;
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

  private validUpdate(input: bigint, order: number): boolean {
    if (!Number.isInteger(order) || order < 0 || order > this.format.inputBits - PAGE_BITS) return false;
    if (input < 0n || (input & 0xfffn) !== 0n) return false;
    return input + (1n << BigInt(order + PAGE_BITS)) <= this.inputLimit;
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
      let index = Math.floor(page / span) % (level === this.top ? format.rootEntries : ENTRIES_PER_TABLE);
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
      }
      let value = 0n;
      let step = 0n;
      if (!removing) {
        value = this.encodeFirstLeaf(BigInt(outPage) << 12n, level, permissions, attributes, linear);
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
    let view = this.rootViews[index >> 9] as BigInt64Array;
    let tableAddress = this.rootAddress + BigInt((index >> 9) * FRAME_SIZE);
    index &= 511;
    while (level > target) {
      this.pathView[level] = view;
      this.pathIndex[level] = index;
      let raw = Atomics.load(view, index);
      for (;;) {
        if (raw !== 0n && raw === this.cachedEntry[level]) {
          this.pathRaw[level] = raw;
          view = this.cachedView[level] as BigInt64Array;
          break;
        }
        const entry = BigInt.asUintN(64, raw);
        const kind = raw === 0n ? EntryKind.HOLE : this.kindOf(entry, level);
        if (kind === EntryKind.TABLE) {
          const childAddress = this.addressOf(entry, level);
          this.pathRaw[level] = raw;
          view = this.childViewAt(raw, childAddress, level);
          if (this.options.beforePublish !== undefined) tableAddress = childAddress;
          break;
        }
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
        this.options.beforePublish?.(tableAddress + BigInt(index * 8), level);
        const seen = Atomics.compareExchange(view, index, raw, published);
        if (seen !== raw) {
          // nobody can have seen the unpublished table: free it now and follow the winner
          this.allocator.freeTable(table);
          this.lostRaces += 1;
          raw = seen;
          continue;
        }
        if (kind === EntryKind.HOLE ? this.policy.notPresent : this.policy.splinter) this.walkFlush = true;
        this.pathRaw[level] = published;
        this.cacheTableEntry(published, words, level);
        view = words;
        tableAddress = table;
        break;
      }
      level -= 1;
      index = Math.floor(page / (this.span[level] as number)) % ENTRIES_PER_TABLE;
    }
    this.pathView[target] = view;
    return view;
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
      this.forgetCachedView(words);
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
      const entry = this.format.encodeLeaf(frame, level, permissions, attributes);
      this.encodedBits = entry - frame;
      this.encodedLevel = level;
      this.encodedPermissions = permissions;
      this.encodedAttributes = attributes;
      return BigInt.asIntN(64, entry);
    }
    return BigInt.asIntN(64, this.encodedBits + frame);
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
    this.forgetCachedView(words);
  }

  private forgetCachedView(words: BigInt64Array): void {
    for (let cached = 0; cached <= this.top; cached++) {
      if (this.cachedView[cached] === words) {
        this.cachedEntry[cached] = 0n;
        this.cachedView[cached] = undefined;
      }
    }
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

  private childViewAt(raw: bigint, address: bigint, level: number): BigInt64Array {
    const view = this.memory.frameWords(address);
    this.cacheTableEntry(raw, view, level);
    return view;
  }

  private cacheTableEntry(raw: bigint, view: BigInt64Array, level: number): void {
    const format = this.format;
    this.cachedEntry[level] = raw;
    this.cachedView[level] = view;
    this.cachedAllowed[level] = format.pathPermissions === undefined ? -1 : format.pathPermissions(BigInt.asUintN(64, raw), level);
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
