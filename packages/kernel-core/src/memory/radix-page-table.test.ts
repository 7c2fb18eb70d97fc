import { describe, expect, it } from "vitest";
import { FrameAllocator } from "./frame-allocator.js";
import { DEFAULT_ATTRIBUTES, MemoryPermission, type MemoryAttributes, type PageTableFormat } from "./page-table-format.js";
import { PhysicalMemory } from "./physical-memory.js";
import { RadixPageTable, type TableAllocator } from "./radix-page-table.js";
import { testingPageTableFormat } from "./testing-format.js";

const RW = MemoryPermission.R | MemoryPermission.W;
const RWX = RW | MemoryPermission.XU | MemoryPermission.XS;
const KiB4 = 0x1000n;
const MiB2 = 0x20_0000n;
const GiB1 = 0x4000_0000n;

function setup(format: PageTableFormat = testingPageTableFormat, ramFrames = 4096) {
  const memory = new PhysicalMemory();
  const allocator = new FrameAllocator([{ base: 0x100_0000n, size: BigInt(ramFrames) * KiB4 }]);
  const table = new RadixPageTable(format, allocator, memory);
  return { memory, allocator, table };
}

/** An independent walker over raw memory, following the testing format's documented bits. */
function manualWalk(memory: PhysicalMemory, root: bigint, input: bigint): { entry: bigint; level: number } | undefined {
  let table = root;
  for (let level = 3; level >= 0; level--) {
    const index = (input >> BigInt(12 + 9 * level)) & 511n;
    const entry = memory.read64(table + index * 8n);
    if ((entry & 1n) === 0n) return undefined;
    if (level > 0 && (entry & 2n) !== 0n) {
      table = entry & 0xffff_ffff_f000n;
      continue;
    }
    return { entry, level };
  }
  return undefined;
}

describe("RadixPageTable (novakit-testing format)", () => {
  it("maps and looks up a 4 KiB page through a real 4-level walk", () => {
    const { memory, table } = setup();
    expect(table.map(0x7f12_3456_7000n, 0xabc000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
    const found = table.lookup(0x7f12_3456_789an);
    expect(found).toEqual({ outputAddress: 0xabc89an, permissions: RW, attributes: DEFAULT_ATTRIBUTES, order: 0 });
    expect(table.lookup(0x7f12_3456_8000n)).toBeUndefined();
    const walked = manualWalk(memory, table.rootAddress, 0x7f12_3456_7000n);
    expect(walked?.level).toBe(0);
    expect((walked?.entry ?? 0n) & 0xffff_ffff_f000n).toBe(0xabc000n);
    expect(table.stats()).toEqual({
      levels: 4,
      tablesPerLevel: [1, 1, 1, 1],
      leavesByOrder: { 0: 1, 9: 0, 18: 0 },
      bytesUsed: 4 * 4096,
    });
  });

  it("picks the largest leaf both addresses' alignment and the order allow", () => {
    const { table } = setup();
    table.map(GiB1, 2n * GiB1, 18, RWX, DEFAULT_ATTRIBUTES);
    expect(table.lookup(GiB1 + 0x1234_5678n)).toMatchObject({ outputAddress: 2n * GiB1 + 0x1234_5678n, order: 18 });
    // output only 2 MiB aligned: 512 leaves of 2 MiB
    table.map(4n * GiB1, 8n * GiB1 + MiB2, 18, RW, DEFAULT_ATTRIBUTES);
    expect(table.lookup(4n * GiB1 + 0x30_0000n)).toMatchObject({ outputAddress: 8n * GiB1 + 0x50_0000n, order: 9 });
    // order 10 at a 2 MiB but not 4 MiB aligned input: two 2 MiB leaves
    table.map(0x60_0000n, 0x6000_0000n, 10, RW, DEFAULT_ATTRIBUTES);
    expect(table.stats().leavesByOrder).toEqual({ 0: 0, 9: 514, 18: 1 });
    // one block per leaf
    expect(table.leaves(0x60_0000n, 10)).toEqual([
      { inputAddress: 0x60_0000n, outputAddress: 0x6000_0000n, order: 9, permissions: RW, attributes: DEFAULT_ATTRIBUTES },
      { inputAddress: 0x80_0000n, outputAddress: 0x6020_0000n, order: 9, permissions: RW, attributes: DEFAULT_ATTRIBUTES },
    ]);
  });

  it("caps the leaf level at the format's maxLeafLevel", () => {
    const noGiantPages: PageTableFormat = { ...testingPageTableFormat, name: "testing-2m", maxLeafLevel: 1 };
    const { table } = setup(noGiantPages);
    table.map(0n, 0n, 18, RW, DEFAULT_ATTRIBUTES);
    expect(table.stats().leavesByOrder).toEqual({ 0: 0, 9: 512 });
  });

  it("splinters a 2 MiB leaf when one 4 KiB page inside is remapped", () => {
    const { table } = setup();
    const attributes: MemoryAttributes = { ...DEFAULT_ATTRIBUTES, cache: "WC", keyId: 200, global: true };
    table.map(MiB2, 0x4000_0000n, 9, RWX, attributes);
    const result = table.map(MiB2 + 5n * KiB4, 0x9_9000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES);
    expect(result).toEqual({ ok: true, flushNeeded: true });
    expect(table.lookup(MiB2 + 5n * KiB4 + 1n)).toEqual({
      outputAddress: 0x9_9001n,
      permissions: MemoryPermission.R,
      attributes: DEFAULT_ATTRIBUTES,
      order: 0,
    });
    // the other 511 pages keep stride, permissions and attributes of the old leaf
    expect(table.lookup(MiB2 + 4n * KiB4 + 0x10n)).toEqual({
      outputAddress: 0x4000_4010n,
      permissions: RWX,
      attributes,
      order: 0,
    });
    expect(table.lookup(MiB2 + 511n * KiB4)).toMatchObject({ outputAddress: 0x401f_f000n, order: 0 });
    expect(table.stats().leavesByOrder).toEqual({ 0: 512, 9: 0, 18: 0 });
  });

  it("unmapping part of a large leaf splinters it and leaves the rest mapped", () => {
    const { table } = setup();
    table.map(0n, 0n, 18, RW, DEFAULT_ATTRIBUTES);
    expect(table.unmap(MiB2, 9)).toEqual({ ok: true, flushNeeded: true });
    expect(table.lookup(MiB2)).toBeUndefined();
    expect(table.lookup(MiB2 - 1n)).toMatchObject({ outputAddress: MiB2 - 1n, order: 9 });
    expect(table.lookup(2n * MiB2)).toMatchObject({ outputAddress: 2n * MiB2, order: 9 });
  });

  it("waitlists torn-down tables until releaseWaitlisted and leaks nothing", () => {
    const { table, allocator } = setup();
    const start = allocator.freeCount();
    table.map(0x8000_0000n, 0x1000_0000n, 10, RW, { ...DEFAULT_ATTRIBUTES, user: false });
    table.map(0x7f00_0000_0000n, 0x5000n, 0, RW, DEFAULT_ATTRIBUTES);
    table.map(0x7f00_0000_0000n + MiB2, 0x7000n, 3, RW, DEFAULT_ATTRIBUTES);
    const used = start - allocator.freeCount();
    expect(used).toBe(2 + 3 + 1);
    expect(table.unmap(0n, 36)).toEqual({ ok: true, flushNeeded: true });
    expect(table.lookup(0x8000_0000n)).toBeUndefined();
    expect(table.waitlistedCount()).toBe(used);
    // nothing is freed before the caller says the TLBs are clean
    expect(allocator.freeCount()).toBe(start - used);
    expect(table.releaseWaitlisted()).toBe(used);
    expect(allocator.freeCount()).toBe(start);
    expect(table.releaseWaitlisted()).toBe(0);
  });

  it("replacing a subtree with a large leaf tears the subtree down", () => {
    const { table, allocator } = setup();
    const start = allocator.freeCount();
    table.map(0n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES);
    expect(allocator.freeCount()).toBe(start - 3);
    expect(table.map(0n, GiB1, 18, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
    expect(table.lookup(0x1000n)).toMatchObject({ outputAddress: GiB1 + 0x1000n, order: 18 });
    expect(table.waitlistedCount()).toBe(2);
    table.releaseWaitlisted();
    expect(allocator.freeCount()).toBe(start - 1);
  });

  it("a lost compare-and-swap frees the loser's table and follows the winner", () => {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x100_0000n }]);
    const winner = new RadixPageTable(testingPageTableFormat, allocator, memory);
    let raced = false;
    const racingSlots: bigint[] = [];
    const loser = new RadixPageTable(testingPageTableFormat, allocator, memory, {
      rootAddress: winner.rootAddress,
      beforePublish: (slotAddress, level) => {
        racingSlots.push(slotAddress);
        if (raced) return;
        raced = true;
        // another CPU installs the same tables between our read and our CAS
        expect(level).toBe(3);
        winner.map(0x4000_0000_1000n, 0x2000n, 0, RW, DEFAULT_ATTRIBUTES);
      },
    });
    const start = allocator.freeCount();
    expect(loser.map(0x4000_0000_0000n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(loser.lostPublicationRaces()).toBe(1);
    expect(racingSlots).toEqual([winner.rootAddress + 128n * 8n]);
    // only the winner's three tables exist: the loser's table went straight back
    expect(allocator.freeCount()).toBe(start - 3);
    expect(winner.lookup(0x4000_0000_0000n)?.outputAddress).toBe(0x1000n);
    expect(loser.lookup(0x4000_0000_1000n)?.outputAddress).toBe(0x2000n);
    expect(winner.stats().tablesPerLevel).toEqual([1, 1, 1, 1]);
  });

  it("dump() is the bytes a manual walk reads: root first, then depth-first", () => {
    const { memory, table } = setup();
    table.map(0x1000n, 0x5000n, 0, RW, DEFAULT_ATTRIBUTES);
    table.map(0x80_0000_0000n, GiB1, 18, RW, DEFAULT_ATTRIBUTES);
    table.map(0x80_4000_0000n + MiB2, 0x7000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES);
    const dump = table.dump();
    const expected: Uint8Array[] = [];
    const visit = (address: bigint, level: number): void => {
      expected.push(memory.readBytes(address, 4096));
      if (level === 0) return;
      for (let slot = 0n; slot < 512n; slot++) {
        const entry = memory.read64(address + slot * 8n);
        if ((entry & 3n) === 3n) visit(entry & 0xffff_ffff_f000n, level - 1);
      }
    };
    visit(table.rootAddress, 3);
    expect(expected).toHaveLength(1 + 1 + 1 + 1 + 1 + 1 + 1);
    expect(dump.length).toBe(expected.length * 4096);
    let at = 0;
    for (const page of expected) {
      expect(dump.subarray(at, at + 4096)).toEqual(page);
      at += 4096;
    }
    const rootEntry1 = new DataView(dump.buffer, dump.byteOffset + 8, 8).getBigUint64(0, true);
    expect(rootEntry1 & 3n).toBe(3n);
  });

  it("leaves() clips to the range and splits into naturally aligned blocks", () => {
    const { table } = setup();
    table.map(0n, 0x4000_0000n, 9, RW, DEFAULT_ATTRIBUTES);
    table.map(MiB2, 0x10_0000n, 0, RWX, DEFAULT_ATTRIBUTES);
    const blocks = table.leaves(0x10_0000n, 9);
    expect(blocks.map((block) => [block.inputAddress, block.outputAddress, block.order])).toEqual([
      [0x10_0000n, 0x4010_0000n, 8],
      [MiB2, 0x10_0000n, 0],
    ]);
    expect(table.leaves(0x40_0000n, 9)).toEqual([]);
  });

  it("reports BAD_PAR for what the format cannot express and MEM_CAP when tables run out", () => {
    const { table } = setup(testingPageTableFormat, 3);
    expect(table.map(1n << 48n, 0n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.map((1n << 48n) - KiB4, 0n, 1, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.map(0n, (1n << 48n) - KiB4, 1, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.map(0x10n, 0n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.map(0n, 0n, 0, 0x10, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.unmap(0n, 0.5)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(table.lookup(1n << 48n)).toBeUndefined();
    // root + 2 frames: the third level's table cannot be allocated
    expect(table.map(0n, 0n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "MEM_CAP" });
    expect(table.map(0n, 0n, 9, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
  });

  it("needs a flush for changed or removed leaves only (default policy)", () => {
    const { table } = setup();
    expect(table.map(0n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
    expect(table.map(0n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
    expect(table.map(0n, 0x1000n, 0, RWX, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
    expect(table.unmap(KiB4, 0)).toEqual({ ok: true, flushNeeded: false });
    expect(table.map(0n, 0x0n, 0, 0, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
  });

  it("honours a format without upgrade invalidation: only reductions and moves flush", () => {
    const lazy: PageTableFormat = {
      ...testingPageTableFormat,
      name: "testing-lazy",
      invalidation: { upgrade: false, splinter: false, notPresent: false },
    };
    const { table } = setup(lazy);
    table.map(0n, 0x1000n, 9, MemoryPermission.R, DEFAULT_ATTRIBUTES);
    expect(table.map(0n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    expect(table.map(0n, 0x1000n, 0, RWX, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: false });
    expect(table.map(0n, 0x1000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
    expect(table.map(0n, 0x2000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
  });

  it("works with a format that offers only decode (no fast-path members)", () => {
    const minimal: PageTableFormat = {
      name: "testing-minimal",
      levels: 4,
      inputBits: 48,
      outputBits: 48,
      maxLeafLevel: 2,
      rootEntries: 512,
      encodeTable: (address, level) => testingPageTableFormat.encodeTable(address, level),
      encodeLeaf: (address, level, permissions, attributes) =>
        testingPageTableFormat.encodeLeaf(address, level, permissions, attributes),
      decode: (entry, level) => testingPageTableFormat.decode(entry, level),
    };
    const { table, allocator } = setup(minimal);
    const start = allocator.freeCount();
    table.map(MiB2, 0x20_0000n, 9, RW, DEFAULT_ATTRIBUTES);
    table.map(MiB2 + 3n * KiB4, 0x5000n, 0, RW, DEFAULT_ATTRIBUTES);
    expect(table.lookup(MiB2 + 2n * KiB4)?.outputAddress).toBe(0x20_2000n);
    expect(table.lookup(MiB2 + 3n * KiB4)?.outputAddress).toBe(0x5000n);
    table.unmap(0n, 27);
    table.releaseWaitlisted();
    expect(allocator.freeCount()).toBe(start);
  });

  it("supports concatenated roots (more than 512 root entries)", () => {
    const concatenated: PageTableFormat = {
      ...testingPageTableFormat,
      name: "testing-concatenated",
      levels: 3,
      inputBits: 40,
      rootEntries: 1024,
    };
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x10_0000n, size: 0x100_0000n }]);
    const table = new RadixPageTable(concatenated, allocator, memory);
    expect(table.rootAddress % 0x2000n).toBe(0n);
    // the last root entry (1023) lives in the second root frame
    table.map(0x100_0000_0000n - GiB1, 0n, 18, RW, DEFAULT_ATTRIBUTES);
    table.map(0xff_c000_0000n - MiB2, 0n, 9, RW, DEFAULT_ATTRIBUTES);
    expect(table.lookup(0xff_c000_1234n)).toMatchObject({ outputAddress: 0x1234n, order: 18 });
    expect(table.lookup(0xff_bfe0_1234n)).toMatchObject({ outputAddress: 0x1234n, order: 9 });
    expect(table.map(0x100_0000_0000n, 0n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: false, status: "BAD_PAR" });
    expect(memory.read64(table.rootAddress + 1023n * 8n) & 1n).toBe(1n);
    expect(table.dump().length).toBe(8192 + 4096);
    expect(table.stats().bytesUsed).toBe(8192 + 4096);
  });

  it("destroy() retires every table including the root", () => {
    const { table, allocator } = setup();
    const before = allocator.freeCount() + 1;
    table.map(0x1234_0000_0000n, 0n, 9, RW, DEFAULT_ATTRIBUTES);
    table.destroy();
    table.releaseWaitlisted();
    expect(allocator.freeCount()).toBe(before);
  });

  it("maps 2^16 pages one by one and finds every one (sanity run)", () => {
    const { table, allocator } = setup(testingPageTableFormat, 1024);
    const base = 0x5555_0000_0000n;
    for (let page = 0; page < 1 << 16; page++) {
      const offset = BigInt(page) << 12n;
      expect(table.map(base + offset, 0x1_0000_0000n + offset * 2n, 0, RW, DEFAULT_ATTRIBUTES).ok).toBe(true);
    }
    for (let page = 0; page < 1 << 16; page += 97) {
      const offset = BigInt(page) << 12n;
      expect(table.lookup(base + offset + 8n)?.outputAddress).toBe(0x1_0000_0000n + offset * 2n + 8n);
    }
    expect(table.stats().tablesPerLevel).toEqual([128, 1, 1, 1]);
    expect(table.stats().leavesByOrder[0]).toBe(1 << 16);
    table.unmap(base, 16);
    table.releaseWaitlisted();
    expect(1024 - allocator.freeCount()).toBe(1 + 2);
  });
});

describe("TableAllocator contract", () => {
  it("accepts any allocator, e.g. one that counts", () => {
    const memory = new PhysicalMemory();
    let next = 0x10_0000n;
    const freed: bigint[] = [];
    const counting: TableAllocator = {
      allocateTable: () => {
        next += KiB4;
        return next;
      },
      freeTable: (address) => freed.push(address),
    };
    const table = new RadixPageTable(testingPageTableFormat, counting, memory);
    table.map(0n, 0n, 0, RW, DEFAULT_ATTRIBUTES);
    table.unmap(0n, 27);
    // root 0x10_1000, then the tables of levels 2, 1, 0; torn down leaf-most first
    expect(table.releaseWaitlisted()).toBe(3);
    expect(freed).toEqual([0x10_4000n, 0x10_3000n, 0x10_2000n]);
  });
});

describe("RadixPageTable with mergeUniformTables", () => {
  function mergingSetup() {
    const memory = new PhysicalMemory();
    const allocator = new FrameAllocator([{ base: 0x100_0000n, size: 0x100_0000n }]);
    const table = new RadixPageTable(testingPageTableFormat, allocator, memory, { mergeUniformTables: true });
    return { memory, allocator, table };
  }

  it("merges a splintered table back into a 2 MiB leaf once it is uniform again", () => {
    const { table } = mergingSetup();
    table.map(MiB2, 0x4000_0000n, 9, RW, DEFAULT_ATTRIBUTES);
    table.map(MiB2 + 5n * KiB4, 0x9000n, 0, RW, DEFAULT_ATTRIBUTES);
    expect(table.lookup(MiB2)?.order).toBe(0);
    expect(table.map(MiB2 + 5n * KiB4, 0x4000_5000n, 0, RW, DEFAULT_ATTRIBUTES)).toEqual({ ok: true, flushNeeded: true });
    expect(table.lookup(MiB2 + 0x1234n)).toMatchObject({ outputAddress: 0x4000_1234n, order: 9 });
    expect(table.waitlistedCount()).toBe(1);
    expect(table.stats().tablesPerLevel).toEqual([0, 1, 1, 1]);
  });

  it("merges 4 KiB pages mapped one by one, and different permissions prevent it", () => {
    const { table } = mergingSetup();
    for (let page = 0n; page < 512n; page++) {
      table.map(page * KiB4, 0x20_0000n + page * KiB4, 0, page === 7n ? MemoryPermission.R : RW, DEFAULT_ATTRIBUTES);
    }
    expect(table.lookup(0n)?.order).toBe(0);
    table.map(7n * KiB4, 0x20_7000n, 0, RW, DEFAULT_ATTRIBUTES);
    expect(table.lookup(0n)).toMatchObject({ outputAddress: 0x20_0000n, order: 9, permissions: RW });
  });

  it("collapses emptied tables up to the root, leaking nothing", () => {
    const { table, allocator } = mergingSetup();
    const start = allocator.freeCount();
    for (let page = 0n; page < 600n; page++) table.map(0x7000_0000_0000n + page * KiB4, page * KiB4 * 3n, 0, RW, DEFAULT_ATTRIBUTES);
    expect(allocator.freeCount()).toBe(start - 4);
    for (let page = 0n; page < 600n; page++) table.unmap(0x7000_0000_0000n + page * KiB4, 0);
    expect(table.stats().tablesPerLevel).toEqual([0, 0, 0, 1]);
    table.releaseWaitlisted();
    expect(allocator.freeCount()).toBe(start);
  });
});
