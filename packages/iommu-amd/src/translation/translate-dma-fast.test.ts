import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { createAmdDptFormat } from "../dpt/amd-dpt-format.js";
import { DeviceTable } from "../device-table/device-table.js";
import { novaAssignedTranslation } from "../device-table/device-table-entry.js";
import { NEEDS_FULL_WALK, translateDmaFast, translateIoTablesFast } from "./translate-dma-fast.js";
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
          page: fc.bigInt({ min: 0n, max: (1n << 36n) - 1n }),
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
