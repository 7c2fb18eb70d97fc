/**
 * What plain JavaScript can reach on this Node for the page-table workloads, as a yardstick for
 * the engine's figures (bench/README.md, "Latest figures"). Run: `npx tsx bench/js-ceiling.ts`.
 *
 * 1. The cost of the Atomics operations a lock-free page table needs, against plain accesses, on
 *    an Int32Array and a BigInt64Array over a SharedArrayBuffer.
 * 2. A stripped x86_64 5-level table doing the pt.map4k / pt.lookup4k / pt.unmap4k workloads: one
 *    fixed entry format, tables in address-aligned 2 MiB chunks of 32-bit halves indexed by frame
 *    number, table entries followed directly, leaves published by a 32-bit CAS after the high half.
 *    No format hooks, no validation, no flush decisions, no BigInt API: an upper bound for the
 *    engine's design, not a replacement for it. Every lookup is checked.
 * 3. The same table in one flat Int32Array (every table frame in one buffer, as the kernel memory
 *    window keeps them), walked by module-level functions: the floor for any JavaScript walk of
 *    these workloads on this Node, to hold against the native baseline.
 */
const PAGES = 1 << 20;
const HASH = 0x9e3779b1 | 0;
const VA_BASE_PAGE = Number(0x0001_2340_0000_0000n >> 12n);
const CHUNK_BITS = 9;
const ROOT_FRAME = 0x100;

function nsPerOp(operations: number, body: () => unknown): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start) / operations;
}

// one function per operation, each a loop over its own parameters: a closure over shared
// variables makes V8 keep them in a context and measures that instead
function plainLoop(halves: Int32Array, n: number, mask: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const j = Math.imul(i, HASH) & mask;
    sink += halves[j] as number;
    halves[j] = i;
  }
  return sink;
}

function compareExchangeLoop(halves: Int32Array, n: number, mask: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const j = Math.imul(i, HASH) & mask;
    sink += Atomics.compareExchange(halves, j, halves[j] as number, i);
  }
  return sink;
}

function exchangeLoop(halves: Int32Array, n: number, mask: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += Atomics.exchange(halves, Math.imul(i, HASH) & mask, i);
  return sink;
}

function loadLoop(halves: Int32Array, n: number, mask: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += Atomics.load(halves, Math.imul(i, HASH) & mask);
  return sink;
}

function exchange64Loop(words: BigInt64Array, n: number, mask: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) if (Atomics.exchange(words, Math.imul(i, HASH) & mask, 0n) !== 0n) sink += 1;
  return sink;
}

function atomicsCosts(): Record<string, number> {
  const halves = new Int32Array(new SharedArrayBuffer(1 << 22));
  const words = new BigInt64Array(halves.buffer);
  const mask = (1 << 20) - 1;
  const n = 1 << 22;
  const costs: Record<string, number> = {};
  // twice each: the first pass warms the JIT up, the second is reported
  for (let pass = 0; pass < 2; pass++) {
    costs["plain"] = nsPerOp(n, () => plainLoop(halves, n, mask));
    costs["compareExchange32"] = nsPerOp(n, () => compareExchangeLoop(halves, n, mask));
    costs["exchange32"] = nsPerOp(n, () => exchangeLoop(halves, n, mask));
    costs["load32"] = nsPerOp(n, () => loadLoop(halves, n, mask));
    costs["exchange64"] = nsPerOp(n, () => exchange64Loop(words, n, mask >> 1));
  }
  return costs;
}

/** the stripped table: chunks of 512 frames, entry = [low, high] halves, x86 bits P|RW|US (+NX on leaves) */
class StrippedTable {
  private readonly chunks: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(1 << 12).fill(undefined);
  private nextFrame = ROOT_FRAME + 1;

  constructor() {
    this.chunk(ROOT_FRAME);
  }

  private chunk(frame: number): Int32Array {
    let chunk = this.chunks[frame >>> CHUNK_BITS];
    if (chunk === undefined) {
      chunk = new Int32Array(new SharedArrayBuffer(4096 << CHUNK_BITS));
      this.chunks[frame >>> CHUNK_BITS] = chunk;
    }
    return chunk;
  }

  map(pageHigh: number, pageLow: number, frame: number): void {
    let table = ROOT_FRAME;
    for (let level = 4; level > 0; level--) {
      const chunk = this.chunks[table >>> CHUNK_BITS] as Int32Array;
      const at = ((table & 511) << 10) | (index(pageHigh, pageLow, level) << 1);
      let low = chunk[at] as number;
      if ((low & 1) === 0) {
        const fresh = this.nextFrame++;
        this.chunk(fresh);
        const entry = (fresh << 12) | 7;
        const seen = Atomics.compareExchange(chunk, at, 0, entry);
        low = seen === 0 ? entry : seen;
      }
      table = ((chunk[at + 1] as number) & 0xfffff) * 0x10_0000 + (low >>> 12);
    }
    const chunk = this.chunks[table >>> CHUNK_BITS] as Int32Array;
    const at = ((table & 511) << 10) | ((pageLow & 511) << 1);
    chunk[at + 1] = Math.floor(frame / 0x10_0000) | (1 << 31);
    Atomics.compareExchange(chunk, at, 0, ((frame & 0xfffff) << 12) | 0x67);
  }

  lookup(pageHigh: number, pageLow: number): number {
    let table = ROOT_FRAME;
    for (let level = 4; level >= 0; level--) {
      const chunk = this.chunks[table >>> CHUNK_BITS] as Int32Array;
      const at = ((table & 511) << 10) | (index(pageHigh, pageLow, level) << 1);
      const low = chunk[at] as number;
      if ((low & 1) === 0) return -1;
      table = ((chunk[at + 1] as number) & 0xfffff) * 0x10_0000 + (low >>> 12);
    }
    return table;
  }

  unmap(pageHigh: number, pageLow: number): void {
    let table = ROOT_FRAME;
    for (let level = 4; level > 0; level--) {
      const chunk = this.chunks[table >>> CHUNK_BITS] as Int32Array;
      const at = ((table & 511) << 10) | (index(pageHigh, pageLow, level) << 1);
      const low = chunk[at] as number;
      if ((low & 1) === 0) return;
      table = ((chunk[at + 1] as number) & 0xfffff) * 0x10_0000 + (low >>> 12);
    }
    const chunk = this.chunks[table >>> CHUNK_BITS] as Int32Array;
    const at = ((table & 511) << 10) | ((pageLow & 511) << 1);
    Atomics.exchange(chunk, at, 0);
    chunk[at + 1] = 0;
  }
}

/** slot index at `level` (0 = 4 KiB leaves) of a page number given as 32-bit halves */
function index(pageHigh: number, pageLow: number, level: number): number {
  const shift = 9 * level;
  if (shift < 24) return (pageLow >>> shift) & 511;
  if (shift < 32) return ((pageLow >>> shift) | (pageHigh << (32 - shift))) & 511;
  return (pageHigh >>> (shift - 32)) & 511;
}

function strippedRound(): { map: number; lookup: number; inOrder: number; unmap: number } {
  const table = new StrippedTable();
  const page = (i: number): number => VA_BASE_PAGE + (Math.imul(i, HASH) & (PAGES - 1));
  const high = (p: number): number => Math.floor(p / 2 ** 32);
  const map = nsPerOp(PAGES, () => {
    for (let i = 0; i < PAGES; i++) table.map(high(page(i)), page(i) >>> 0, i);
  });
  let wrong = 0;
  const lookup = nsPerOp(PAGES, () => {
    for (let i = 0; i < PAGES; i++) if (table.lookup(high(page(i)), page(i) >>> 0) !== i) wrong += 1;
  });
  if (wrong !== 0) throw new Error(`stripped table: ${wrong} wrong lookups`);
  // the same lookups in VA order: every table entry a cache hit, so this is the walk's own cost and
  // the difference to `lookup` what the scattered order's cache misses cost
  let unmapped = 0;
  const inOrder = nsPerOp(PAGES, () => {
    for (let page = VA_BASE_PAGE; page < VA_BASE_PAGE + PAGES; page++) if (table.lookup(high(page), page >>> 0) < 0) unmapped += 1;
  });
  if (unmapped !== 0) throw new Error(`stripped table: ${unmapped} pages unmapped`);
  const unmap = nsPerOp(PAGES, () => {
    for (let i = 0; i < PAGES; i++) table.unmap(high(page(i)), page(i) >>> 0);
  });
  return { map, lookup, inOrder, unmap };
}

// ---- 3: the flat table. Frame f's word i at index (f << 10) + 2i; the root is frame 0.

const FLAT_LEAF_HIGH = 1 << 31; // NX
function flatWalk(memory: Int32Array, pageLow: number, pageHigh: number, next: Int32Array): number {
  let table = 0;
  for (let level = 4; level > 0; level--) {
    const at = (table << 10) + 2 * index(pageHigh, pageLow, level);
    let low = memory[at] as number;
    if ((low & 1) === 0) {
      if (next[0] === 0) return -1; // lookups and unmaps do not allocate
      const fresh = next[0] as number;
      next[0] = fresh + 1;
      const entry = (fresh << 12) | 0x27;
      const seen = Atomics.compareExchange(memory, at, 0, entry);
      low = seen === 0 ? entry : seen;
    } else if ((low & 0xfff) !== 0x27 || memory[at + 1] !== 0 || memory[at] !== low) {
      return -1;
    }
    table = low >>> 12;
  }
  return (table << 10) + 2 * (pageLow & 511);
}

function flatMapAll(memory: Int32Array, next: Int32Array): number {
  let failed = 0;
  for (let i = 0; i < PAGES; i++) {
    const page = VA_BASE_PAGE + (Math.imul(i, HASH) & (PAGES - 1));
    const at = flatWalk(memory, page >>> 0, (page * 2 ** -32) | 0, next);
    if (at < 0) failed += 1;
    else {
      memory[at + 1] = FLAT_LEAF_HIGH;
      if (Atomics.compareExchange(memory, at, 0, (i << 12) | 0x67) !== 0) failed += 1;
    }
  }
  return failed;
}

function flatLookupAll(memory: Int32Array, none: Int32Array): number {
  let wrong = 0;
  for (let i = 0; i < PAGES; i++) {
    const page = VA_BASE_PAGE + (Math.imul(i, HASH) & (PAGES - 1));
    const at = flatWalk(memory, page >>> 0, (page * 2 ** -32) | 0, none);
    const low = at < 0 ? 0 : (memory[at] as number);
    const offset = i & 0xfff;
    const frame = (low & 1) === 0 ? -1 : ((memory[at + 1] as number) & 0xfffff) * 0x10_0000 + (low >>> 12);
    if (frame * 4096 + offset !== i * 4096 + offset || memory[at] !== low) wrong += 1;
  }
  return wrong;
}

function flatUnmapAll(memory: Int32Array, none: Int32Array): number {
  let removed = 0;
  for (let i = 0; i < PAGES; i++) {
    const page = VA_BASE_PAGE + (Math.imul(i, HASH) & (PAGES - 1));
    const at = flatWalk(memory, page >>> 0, (page * 2 ** -32) | 0, none);
    if (at >= 0 && Atomics.exchange(memory, at, 0) !== 0) removed += 1;
    if (at >= 0) memory[at + 1] = 0;
  }
  return removed;
}

function flatRound(): { map: number; lookup: number; unmap: number } {
  const memory = new Int32Array(new SharedArrayBuffer(4096 * 2200));
  const next = new Int32Array([1]);
  const none = new Int32Array([0]);
  let failed = 0;
  let wrong = 0;
  let removed = 0;
  const map = nsPerOp(PAGES, () => (failed = flatMapAll(memory, next)));
  const lookup = nsPerOp(PAGES, () => (wrong = flatLookupAll(memory, none)));
  const unmap = nsPerOp(PAGES, () => (removed = flatUnmapAll(memory, none)));
  if (failed !== 0 || wrong !== 0 || removed !== PAGES) throw new Error(`flat table: ${failed} failed maps, ${wrong} wrong lookups, ${removed} removed`);
  return { map, lookup, unmap };
}

const costs = atomicsCosts();
process.stdout.write(`Atomics, ns per operation: ${Object.entries(costs).map(([name, ns]) => `${name} ${ns.toFixed(1)}`).join(", ")}\n`);
for (let round = 0; round < 3; round++) {
  const figures = strippedRound();
  process.stdout.write(`stripped 5-level table, ns per page: map ${figures.map.toFixed(1)}, lookup ${figures.lookup.toFixed(1)} (in VA order ${figures.inOrder.toFixed(1)}), unmap ${figures.unmap.toFixed(1)}\n`);
}
for (let round = 0; round < 3; round++) {
  const figures = flatRound();
  process.stdout.write(`flat 5-level table (one Int32Array), ns per page: map ${figures.map.toFixed(1)}, lookup ${figures.lookup.toFixed(1)}, unmap ${figures.unmap.toFixed(1)}\n`);
}
