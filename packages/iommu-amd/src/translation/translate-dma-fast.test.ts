import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { createAmdDptFormat } from "../dpt/amd-dpt-format.js";
import { DeviceTable } from "../device-table/device-table.js";
import { novaAssignedTranslation } from "../device-table/device-table-entry.js";
import { NEEDS_FULL_WALK, translateDmaFast, translateIoTablesFast, windowLowerLevels, windowUpperLevels } from "./translate-dma-fast.js";
import { translateDma } from "./translate-dma.js";

const DT_BASE = 0x80_0000n;
const BDF = 0x0100;

/**
 * Where the device table and the I/O tables live: PhysicalMemory's chunks, one window holding
 * them all (the window walk, as a boot keeps kernel memory), or a window holding the device table
 * only (the walk leaves it at the root).
 */
type TableMemory = "chunks" | "window" | "window for the device table only";

function memoryFor(kind: TableMemory): PhysicalMemory {
  if (kind === "chunks") return new PhysicalMemory();
  const size = kind === "window" ? 0x90_0000 : 0x20_0000;
  return new PhysicalMemory({ base: DT_BASE, buffer: new SharedArrayBuffer(size) });
}

/** Random pages below 2^32 (IOVAs below 2^44) and clusters that share the upper tables, mapped to random frames below 2^28 (physical addresses below 2^40), read or read/write. */
const mapping = fc.record({
  page: fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 0x7ff }).map((n) => 0x4_0000 + n * 37)),
  frame: fc.integer({ min: 0, max: 2 ** 28 - 1 }),
  writable: fc.boolean(),
});

/** A Mode 4 I/O table (frames from 16 MiB at 0x1000000) with `mappings`; the pages it mapped, by page number. */
function mapPages(memory: PhysicalMemory, mappings: readonly { page: number; frame: number; writable: boolean }[]): { table: RadixPageTable; mapped: Map<number, { frame: number; writable: boolean }> } {
  const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: 0x100_0000n, size: 0x100_0000n }]), memory);
  const mapped = new Map<number, { frame: number; writable: boolean }>();
  for (const { page, frame, writable } of mappings) {
    const permissions = writable ? MemoryPermission.R | MemoryPermission.W : MemoryPermission.R;
    if (table.map(BigInt(page) << 12n, BigInt(frame) << 12n, 0, permissions, DEFAULT_ATTRIBUTES).ok) mapped.set(page, { frame, writable });
  }
  return { table, mapped };
}

/**
 * The fast walk must never answer differently from translateDma: it either gives the same
 * physical address or hands the request to the full walk. Memory is built from raw entries with
 * random bits in every field the walk looks at (present, next level, IR/IW, reserved DTE bits,
 * large leaves, skipped levels), so faults and odd cases are as common as translations.
 */
describe.each<TableMemory>(["chunks", "window", "window for the device table only"])("translateDmaFast agrees with translateDma, tables in %s", (tableMemory) => {
  it("on random raw device table entries and I/O page tables", () => {
    const tableFrame = (n: number): bigint => 0x100_0000n + BigInt(n) * 0x1000n;
    const entry = fc.record({
      present: fc.boolean(),
      nextLevel: fc.integer({ min: 0, max: 7 }),
      target: fc.integer({ min: 0, max: 7 }),
      frame: fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
      ir: fc.boolean(),
      iw: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.record({
          dteLow: fc.integer({ min: 0, max: 0x7f }),
          mode: fc.integer({ min: 0, max: 7 }),
          dteIr: fc.boolean(),
          dteIw: fc.boolean(),
          bit63: fc.boolean(),
          entries: fc.array(entry, { minLength: 8, maxLength: 8 }),
          iova: fc.bigInt({ min: 0n, max: (1n << 50n) - 1n }),
          write: fc.boolean(),
          maxLevels: fc.integer({ min: 4, max: 6 }),
        }),
        ({ dteLow, mode, dteIr, dteIw, bit63, entries, iova, write, maxLevels }) => {
          const memory = memoryFor(tableMemory);
          const q0 =
            BigInt(dteLow) | (BigInt(mode) << 9n) | tableFrame(0) | (dteIr ? 1n << 61n : 0n) | (dteIw ? 1n << 62n : 0n) | (bit63 ? 1n << 63n : 0n);
          memory.write64(DT_BASE + BigInt(BDF * 32), q0);
          // every table frame holds, at every index the walk can use, an entry pointing to another table frame or a leaf
          for (let t = 0; t < 8; t++) {
            const e = entries[t]!;
            const value =
              (e.present ? 1n : 0n) |
              (BigInt(e.nextLevel) << 9n) |
              (e.nextLevel === 0 || e.nextLevel === 7 ? e.frame << 12n : tableFrame(e.target)) |
              (e.ir ? 1n << 61n : 0n) |
              (e.iw ? 1n << 62n : 0n);
            for (let i = 0; i < 512; i++) memory.write64(tableFrame(t) + BigInt(i * 8), value);
          }
          const full = translateDma({ memory, deviceTableBase: DT_BASE, bdf: BDF, iova, write, maxLevels });
          const fast = translateDmaFast(memory, Number(DT_BASE), BDF, Number(iova), write, maxLevels);
          if (fast !== NEEDS_FULL_WALK) {
            expect(full.ok).toBe(true);
            expect(full.ok && full.translated).toBe(true);
            expect(full.ok ? full.physicalAddress : -1n).toBe(BigInt(fast));
          }
        },
      ),
      { numRuns: 3000, seed: 0xd3a },
    );
  });

  it("on well-formed Mode 1-4 chains with an occasional defect (the common walks' own cases), from memory and from a held DTE", () => {
    const tableFrame = (n: number): bigint => 0x100_0000n + BigInt(n) * 0x1000n;
    // one entry per level: mostly the common case (present, IR and IW, Next Level one below)
    const entry = fc.record({
      present: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      nextLevelOff: fc.integer({ min: 0, max: 9 }).map((n) => (n === 0 ? 2 : 0)),
      ir: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      iw: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      leafFrame: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 28n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 40n) - 1n })),
    });
    fc.assert(
      fc.property(
        fc.record({
          mode: fc.integer({ min: 1, max: 4 }),
          // the level whose entry is the leaf: 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB), when the Mode reaches it
          leafLevel: fc.integer({ min: 1, max: 3 }),
          dteBits: fc.integer({ min: 0, max: 9 }).map((n) => (n === 0 ? 0x7n : 0x3n)),
          entries: fc.array(entry, { minLength: 4, maxLength: 4 }),
          // IOVAs below 2^44 (the window walk's) and up to 2^48
          page: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 36n) - 1n })),
          offset: fc.integer({ min: 0, max: 0xfff }),
          write: fc.boolean(),
          maxLevels: fc.integer({ min: 3, max: 6 }),
        }),
        ({ mode, leafLevel, dteBits, entries, page, offset, write, maxLevels }) => {
          const memory = memoryFor(tableMemory);
          const q0 = dteBits | (BigInt(mode) << 9n) | tableFrame(0) | (3n << 61n);
          memory.write64(DT_BASE + BigInt(BDF * 32), q0);
          const leafAt = Math.min(leafLevel, mode);
          // level L's table is table frame mode - L; its entry points to the next one or is the leaf
          for (let level = mode; level >= leafAt; level--) {
            const e = entries[level - 1]!;
            const next = level === leafAt ? e.nextLevelOff : level - 1 + e.nextLevelOff;
            const target = level === leafAt ? e.leafFrame << 12n : tableFrame(mode - level + 1);
            const value = (e.present ? 1n : 0n) | (BigInt(next & 7) << 9n) | target | (e.ir ? 1n << 61n : 0n) | (e.iw ? 1n << 62n : 0n);
            for (let i = 0; i < 512; i++) memory.write64(tableFrame(mode - level) + BigInt(i * 8), value);
          }
          const iova = (page % (1n << BigInt(9 * mode))) * 4096n + BigInt(offset);
          const full = translateDma({ memory, deviceTableBase: DT_BASE, bdf: BDF, iova, write, maxLevels });
          const fast = translateDmaFast(memory, Number(DT_BASE), BDF, Number(iova), write, maxLevels);
          const fromDte = translateIoTablesFast(memory, Number(BigInt.asIntN(32, q0)), Number(BigInt.asIntN(32, q0 >> 32n)), Number(iova), write, maxLevels);
          for (const answer of [fast, fromDte]) {
            if (answer === NEEDS_FULL_WALK) {
              // the fast walks decline only what is not a plain translation, a leaf above 2^40 or an IOVA above 2^44
              const plain = full.ok && full.translated && entries.slice(leafAt - 1, mode).every((e) => e.present && e.nextLevelOff === 0);
              if (plain) expect(entries[leafAt - 1]!.leafFrame >= 1n << 28n || maxLevels < mode || iova >= 1n << 44n).toBe(true);
            } else {
              expect(full.ok && full.translated && full.physicalAddress).toBe(BigInt(answer));
            }
          }
        },
      ),
      { numRuns: 2000, seed: 0xc0a1 },
    );
  });

  it("translates what NOVA assigns (Mode 4 over RadixPageTable) without the full walk", () => {
    const memory = memoryFor(tableMemory);
    const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: 0x100_0000n, size: 0x100_0000n }]), memory);
    for (let i = 0; i < 64; i++) table.map(0x4000_0000n + (BigInt(i) << 12n), (0x10_0000n + BigInt(i)) << 12n, 0, MemoryPermission.R | MemoryPermission.W, DEFAULT_ATTRIBUTES);
    table.map(0x8000_0000n, 0x2_0000_0000n, 9, MemoryPermission.R, DEFAULT_ATTRIBUTES);
    const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
    new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
    expect(translateDmaFast(memory, Number(DT_BASE), BDF, 0x4000_5123, true, 4)).toBe(0x1_0000_5123);
    expect(translateDmaFast(memory, Number(DT_BASE), BDF, 0x8012_3456, false, 4)).toBe(0x2_0012_3456);
    // a write to the read-only 2 MiB page and an unmapped page are the full walk's to fault
    expect(translateDmaFast(memory, Number(DT_BASE), BDF, 0x8012_3456, true, 4)).toBe(NEEDS_FULL_WALK);
    expect(translateDmaFast(memory, Number(DT_BASE), BDF, 0x4100_0000, false, 4)).toBe(NEEDS_FULL_WALK);
  });

  it("translates pages mapped at random IOVAs (every index of all four levels) exactly, without the full walk", () => {
    // the tables outgrow the 1 MiB of table frames in the window, so some walks leave it part-way
    fc.assert(
      fc.property(fc.array(mapping, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 40 }), (mappings, probes) => {
        const memory = memoryFor(tableMemory);
        const { table, mapped } = mapPages(memory, mappings);
        const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
        new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
        const dteLow = Number(BigInt.asIntN(32, q0));
        const dteHigh = Number(BigInt.asIntN(32, q0 >> 32n));
        for (const [page, { frame, writable }] of mapped) {
          const offset = (page * 8) & 0xff8;
          const iova = page * 4096 + offset;
          expect(translateDmaFast(memory, Number(DT_BASE), BDF, iova, false, 4)).toBe(frame * 4096 + offset);
          expect(translateIoTablesFast(memory, dteLow, dteHigh, iova, false, 4)).toBe(frame * 4096 + offset);
          if (writable) expect(translateDmaFast(memory, Number(DT_BASE), BDF, iova, true, 4)).toBe(frame * 4096 + offset);
          else expect(translateDmaFast(memory, Number(DT_BASE), BDF, iova, true, 4)).toBe(NEEDS_FULL_WALK);
        }
        // unmapped pages are the full walk's to fault
        for (const page of probes) {
          if (mapped.has(page)) continue;
          expect(translateDmaFast(memory, Number(DT_BASE), BDF, page * 4096, false, 4)).toBe(NEEDS_FULL_WALK);
          expect(translateIoTablesFast(memory, dteLow, dteHigh, page * 4096, false, 4)).toBe(NEEDS_FULL_WALK);
        }
      }),
      { numRuns: 60, seed: 0x1d5 },
    );
  });

  it("walks tables that lie above 16 TiB and above 2^49 (the non-integer chunk paths) to the same answer", () => {
    for (const tableBase of [0x1000_0000_0000n, 0x4_0000_0000_0000n]) {
      const memory = new PhysicalMemory();
      const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: tableBase, size: 0x10_0000n }]), memory);
      table.map(0x4000_0000n, 0x7_0000_0000n, 0, MemoryPermission.R | MemoryPermission.W, DEFAULT_ATTRIBUTES);
      const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
      new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
      const full = translateDma({ memory, deviceTableBase: DT_BASE, bdf: BDF, iova: 0x4000_0abcn, write: true });
      expect(full.ok && full.physicalAddress).toBe(0x7_0000_0abcn);
      expect(translateDmaFast(memory, Number(DT_BASE), BDF, 0x4000_0abc, true, 4)).toBe(0x7_0000_0abc);
    }
  });
});

/**
 * The window walk alone (windowUpperLevels, then windowLowerLevels), where every table lies in the
 * window: a fast walk that declines is never wrong, since translateDma decides, so only this shows
 * that the window walk takes what NOVA programs, at every index of every level.
 */
/** The window walk alone: windowUpperLevels from the DTE quadword `q0`, then windowLowerLevels. */
function walkWindow(memory: PhysicalMemory, q0: bigint, page: number, offset: number, write: boolean): number {
  const permission = write ? 0x4000_0000 : 0x2000_0000;
  const { windowHalves, windowFirstFrame, walkableWindowFrames } = memory;
  const levelTwo = windowUpperLevels(windowHalves, windowFirstFrame, walkableWindowFrames, Number(BigInt.asIntN(32, q0)), Number(BigInt.asIntN(32, q0 >> 32n)), page, permission);
  return windowLowerLevels(windowHalves, windowFirstFrame, walkableWindowFrames, levelTwo, page, page * 4096 + offset, permission);
}

describe("the window walk", () => {
  it("translates every page mapped at a random IOVA, declines unmapped pages and writes to read-only ones", () => {
    fc.assert(
      fc.property(fc.array(mapping, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 40 }), (mappings, probes) => {
        // the device table and 16 MiB of table frames, all in one window
        const memory = new PhysicalMemory({ base: DT_BASE, buffer: new SharedArrayBuffer(0x180_0000) });
        const { table, mapped } = mapPages(memory, mappings);
        const [q0] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
        const walk = (page: number, offset: number, write: boolean): number => walkWindow(memory, q0, page, offset, write);
        for (const [page, { frame, writable }] of mapped) {
          const offset = (page * 8) & 0xfff;
          expect(walk(page, offset, false)).toBe(frame * 4096 + offset);
          if (writable) expect(walk(page, offset, true)).toBe(frame * 4096 + offset);
          else expect(walk(page, offset, true)).toBeLessThan(0);
        }
        for (const page of probes) if (!mapped.has(page)) expect(walk(page, 0, false)).toBeLessThan(0);
      }),
      { numRuns: 60, seed: 0x3a7 },
    );
  });

  it("agrees with translateDma on Mode 4 chains with defects in the DTE and at every level, and takes every plain one", () => {
    // each of the DTE (its IR, IW, bit 63 and root address) and the four entries has at most one defect
    const entry = fc
      .record({
        defect: fc.oneof({ weight: 17, arbitrary: fc.constant("none") }, { weight: 3, arbitrary: fc.constantFrom("absent", "next", "no IR", "no IW", "bit 63", "upper") }),
        nextLevelOff: fc.integer({ min: 1, max: 7 }),
        upper: fc.oneof(fc.integer({ min: 0, max: 19 }).map((bit) => 1n << BigInt(bit)), fc.bigInt({ min: 1n, max: (1n << 20n) - 1n })),
      })
      .map(({ defect, nextLevelOff, upper }) => ({
        present: defect !== "absent",
        nextLevelOff: defect === "next" ? nextLevelOff : 0,
        ir: defect !== "no IR",
        iw: defect !== "no IW",
        bit63: defect === "bit 63",
        // address bits 51:32
        upper: defect === "upper" ? upper : 0n,
      }));
    fc.assert(
      fc.property(
        fc.record({
          // V and TV, or one of bits 8:0 flipped
          dteLow: fc.oneof({ weight: 6, arbitrary: fc.constant(0x3) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 8 }).map((bit) => 0x3 ^ (1 << bit)) }),
          mode: fc.oneof({ weight: 6, arbitrary: fc.constant(4) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) }),
          dte: entry,
          entries: fc.array(entry, { minLength: 4, maxLength: 4 }),
          leafFrame: fc.integer({ min: 0, max: 2 ** 28 - 1 }),
          page: fc.integer({ min: 0, max: 0xffff_ffff }),
          offset: fc.integer({ min: 0, max: 0xfff }),
          write: fc.boolean(),
        }),
        ({ dteLow, mode, dte, entries, leafFrame, page, offset, write }) => {
          const memory = new PhysicalMemory({ base: DT_BASE, buffer: new SharedArrayBuffer(0x180_0000) });
          const tableFrame = (n: number): bigint => 0x100_0000n + BigInt(n) * 0x1000n;
          const bits = (e: typeof dte): bigint => (e.upper << 32n) | (e.ir ? 1n << 61n : 0n) | (e.iw ? 1n << 62n : 0n) | (e.bit63 ? 1n << 63n : 0n);
          const q0 = BigInt(dteLow) | (BigInt(mode) << 9n) | tableFrame(0) | bits(dte);
          memory.write64(DT_BASE + BigInt(BDF * 32), q0);
          // level L's table is table frame 4 - L; its entry (at every index) points to the next table or is the leaf
          for (let level = 4; level >= 1; level--) {
            const e = entries[level - 1]!;
            const target = level === 1 ? BigInt(leafFrame) << 12n : tableFrame(5 - level);
            const value = (e.present ? 1n : 0n) | (BigInt((level - 1 + e.nextLevelOff) & 7) << 9n) | target | bits(e);
            for (let i = 0; i < 512; i++) memory.write64(tableFrame(4 - level) + BigInt(i * 8), value);
          }
          const answer = walkWindow(memory, q0, page, offset, write);
          const full = translateDma({ memory, deviceTableBase: DT_BASE, bdf: BDF, iova: BigInt(page * 4096 + offset), write, maxLevels: 4 });
          if (answer >= 0) expect(full.ok && full.translated && full.physicalAddress).toBe(BigInt(answer));
          // what NOVA programs (V TV Mode 4, every entry present with the permission and Next Level one below) it must take
          const allowed = (e: typeof dte): boolean => (write ? e.iw : e.ir) && !e.bit63 && e.upper === 0n;
          const plain = dteLow === 0x3 && mode === 4 && allowed(dte) && entries.every((e) => e.present && e.nextLevelOff === 0 && allowed(e));
          if (plain) expect(answer).toBe(leafFrame * 4096 + offset);
        },
      ),
      { numRuns: 3000, seed: 0x4d5 },
    );
  });
});
