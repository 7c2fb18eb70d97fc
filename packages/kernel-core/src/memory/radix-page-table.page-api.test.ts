import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "./frame-allocator.js";
import { DEFAULT_ATTRIBUTES, MemoryPermission, type MemoryAttributes } from "./page-table-format.js";
import { PhysicalMemory } from "./physical-memory.js";
import { RadixPageTable } from "./radix-page-table.js";
import { testingPageTableFormat } from "./testing-format.js";

const RW = MemoryPermission.R | MemoryPermission.W;
const R = MemoryPermission.R;
/** key id 0x5A and shadow-stack: attribute bits in the upper half of the entry (bits 48 and 63:56) */
const HIGH_ATTRIBUTES: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, keyId: 0x5a, shadowStack: true };

/**
 * Where the tables live: chunks (PhysicalMemory's default), a window holding every table (the
 * window walk, as the kernel's memory is kept), or a window of 24 frames from which the tables
 * soon spill into chunks (walks that leave the window half way).
 */
type TableMemory = "chunks" | "window" | "partial window";
const TABLE_RAM = { base: 0x100_0000n, size: 0x400_0000n };

function memoryFor(kind: TableMemory): PhysicalMemory {
  if (kind === "chunks") return new PhysicalMemory();
  const size = kind === "window" ? Number(TABLE_RAM.size) : 24 * 4096;
  return new PhysicalMemory({ base: TABLE_RAM.base, buffer: new SharedArrayBuffer(size) });
}

describe.each<TableMemory>(["chunks", "window", "partial window"])(
  "RadixPageTable page-number API (mapPage, unmapPage, translatePage), tables in %s",
  (tableMemory) => {
    /** `generalPath`: a table that merges uniform tables, which routes every update through the 64-bit path */
    function setup(generalPath = false) {
      const memory = memoryFor(tableMemory);
      const allocator = new FrameAllocator([TABLE_RAM]);
      return { memory, allocator, table: new RadixPageTable(testingPageTableFormat, allocator, memory, { mergeUniformTables: generalPath }) };
    }

    it("writes the same entry bytes as map() for frames above 4 GiB and attribute bits in the upper half", () => {
      const a = setup();
      const b = setup(true);
      const inputPage = 0x7_1234_5678; // a 47-bit address
      const outputPage = 0x12_3456_789; // frame above 2^32 bytes
      expect(a.table.mapPage(inputPage, outputPage, RW, HIGH_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
      b.table.map(BigInt(inputPage) << 12n, BigInt(outputPage) << 12n, 0, RW, HIGH_ATTRIBUTES);
      expect(a.table.dump()).toEqual(b.table.dump());
      const dump = a.table.dump();
      const leafTable = new DataView(dump.buffer, dump.byteOffset + dump.length - 4096, 4096);
      expect(leafTable.getBigUint64((inputPage % 512) * 8, true)).toBe(testingPageTableFormat.encodeLeaf(BigInt(outputPage) << 12n, 0, RW, HIGH_ATTRIBUTES));
      expect(a.table.translatePage(inputPage)).toBe(outputPage);
      expect(a.table.lookup((BigInt(inputPage) << 12n) + 0x123n)).toEqual({
        outputAddress: (BigInt(outputPage) << 12n) + 0x123n,
        permissions: RW,
        attributes: HIGH_ATTRIBUTES,
        order: 0,
      });
    });

    it("unmapPage leaves an all-zero slot and reports the flush; a second unmap needs none", () => {
      const { memory, table } = setup();
      table.mapPage(0x42, 0x99, RW, DEFAULT_ATTRIBUTES);
      expect(table.unmapPage(0x42)).toEqual({ ok: true, flushNeeded: true });
      expect(table.translatePage(0x42)).toBe(-1);
      expect(table.unmapPage(0x42)).toEqual({ ok: true, flushNeeded: false });
      // the level-0 table (the last one allocated) holds only zero bytes again
      const dump = table.dump();
      expect(dump.subarray(dump.length - 4096).every((byte) => byte === 0)).toBe(true);
      expect(memory.read64(table.rootAddress)).not.toBe(0n);
    });

    it("replacing a present leaf goes through the 64-bit exchange and flushes on a permission reduction", () => {
      const { table } = setup();
      table.mapPage(7, 0x1000, RW, DEFAULT_ATTRIBUTES);
      expect(table.mapPage(7, 0x1000, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
      expect(table.mapPage(7, 0x1000, R, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
      expect(table.lookup(7n << 12n)?.permissions).toBe(R);
      expect(table.mapPage(7, 0x2_0000_0000, R, HIGH_ATTRIBUTES).ok).toBe(true);
      expect(table.translatePage(7)).toBe(0x2_0000_0000);
    });

    it("splinters a large leaf when one page of it is mapped or unmapped", () => {
      const { table } = setup();
      table.map(0x20_0000n, 0x4000_0000n, 9, RW, DEFAULT_ATTRIBUTES);
      expect(table.translatePage(0x205)).toBe(0x4_0005);
      expect(table.unmapPage(0x205).ok).toBe(true);
      expect(table.translatePage(0x205)).toBe(-1);
      expect(table.translatePage(0x206)).toBe(0x4_0006);
      expect(table.stats().leavesByOrder[0]).toBe(511);
    });

    it("rejects pages outside the format's input or output range with BAD_PAR", () => {
      const { table } = setup();
      const inputPages = 2 ** (testingPageTableFormat.inputBits - 12);
      expect(table.mapPage(inputPages, 1, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
      expect(table.mapPage(-1, 1, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
      expect(table.mapPage(1.5, 1, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
      expect(table.mapPage(1, 2 ** (testingPageTableFormat.outputBits - 12), RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
      expect(table.unmapPage(inputPages)).toEqual({ ok: false, status: "BAD_PAR" });
      expect(table.translatePage(inputPages)).toBe(-1);
    });

    it("agrees with map/unmap/lookup on random operation sequences (a model of the mapping)", () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              op: fc.constantFrom("map", "unmap"),
              page: fc.integer({ min: 0, max: 2047 }),
              frame: fc.integer({ min: 0, max: 2 ** 36 - 1 }),
              high: fc.boolean(),
              pageApi: fc.boolean(),
            }),
            { maxLength: 80 },
          ),
          (operations) => {
            const { table } = setup();
            const reference = setup(true).table;
            const model = new Map<number, number>();
            // pages spread over several level-1 tables and one far away one
            const pageOf = (n: number): number => (n < 1024 ? n * 37 : 0x3_0000_0000 + n);
            for (const { op, page, frame, high, pageApi } of operations) {
              const input = pageOf(page);
              const attributes = high ? HIGH_ATTRIBUTES : DEFAULT_ATTRIBUTES;
              if (op === "map") {
                const outcome = pageApi
                  ? table.mapPage(input, frame, RW, attributes)
                  : table.map(BigInt(input) << 12n, BigInt(frame) << 12n, 0, RW, attributes);
                expect(outcome.ok).toBe(true);
                reference.map(BigInt(input) << 12n, BigInt(frame) << 12n, 0, RW, attributes);
                model.set(input, frame);
              } else {
                const outcome = pageApi ? table.unmapPage(input) : table.unmap(BigInt(input) << 12n, 0);
                expect(outcome.ok).toBe(true);
                reference.unmap(BigInt(input) << 12n, 0);
                model.delete(input);
              }
            }
            // the same leaves as the general 64-bit path wrote, attribute bits included
            const everything = testingPageTableFormat.inputBits - 12;
            expect(table.leaves(0n, everything)).toEqual(reference.leaves(0n, everything));
            for (let page = 0; page < 2048; page++) {
              const input = pageOf(page);
              const expected = model.get(input) ?? -1;
              expect(table.translatePage(input)).toBe(expected);
              const found = table.lookup(BigInt(input) << 12n);
              expect(found === undefined ? -1 : Number(found.outputAddress >> 12n)).toBe(expected);
            }
          },
        ),
        { numRuns: 60, seed: 0x5eed },
      );
    });
  },
);
