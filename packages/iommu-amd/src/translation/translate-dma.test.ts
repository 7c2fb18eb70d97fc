import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { createAmdDptFormat } from "../dpt/amd-dpt-format.js";
import { DeviceTable } from "../device-table/device-table.js";
import { NOVA_DENY_DTE, novaAssignedTranslation } from "../device-table/device-table-entry.js";
import { maxLevelsFromHats, translateDma, type DmaTranslation } from "./translate-dma.js";

const DT_BASE = 0x800000n;
const BDF = 0x0100;
const ADDRESS = 0x12_3456_7abcn;

/** The worked example of amd-iommu.md §4.5: DTE Mode 3 root 0x100000, three levels. */
function workedExample(): PhysicalMemory {
  const memory = new PhysicalMemory();
  memory.write64(DT_BASE + BigInt(BDF * 32), 0x6000000000100603n);
  memory.write64(DT_BASE + BigInt(BDF * 32) + 8n, 0x0042n); // DomainID
  memory.write64(0x100000n + 0x240n, 0x6000000000101401n);
  memory.write64(0x101000n + 0xd10n, 0x6000000000102201n);
  memory.write64(0x102000n + 0xb38n, 0x20000000abcde001n);
  return memory;
}

function dma(memory: PhysicalMemory, iova: bigint, write = false, maxLevels?: number): DmaTranslation {
  return translateDma({ memory, deviceTableBase: DT_BASE, bdf: BDF, iova, write, ...(maxLevels === undefined ? {} : { maxLevels }) });
}

function faultOf(outcome: DmaTranslation) {
  if (outcome.ok) throw new Error(`expected a fault, got 0x${outcome.physicalAddress.toString(16)}`);
  return outcome.fault;
}

describe("translateDma: the worked example (amd-iommu.md §4.5)", () => {
  it("translates a read through three levels", () => {
    expect(dma(workedExample(), ADDRESS)).toEqual({ ok: true, physicalAddress: 0xabcdeabcn, translated: true });
  });

  it("faults a write to the read-only leaf: IO_PAGE_FAULT PR=1 RW=1 PE=1 with the DomainID", () => {
    const fault = faultOf(dma(workedExample(), ADDRESS, true));
    expect(fault).toMatchObject({ code: "IO_PAGE_FAULT", reason: "PERMISSION", deviceId: BDF, domainId: 0x42, address: ADDRESS, level: 1, flagsWord: 0x70 });
    expect(fault.flags).toMatchObject({ PR: true, RW: true, PE: true, RZ: false, I: false });
  });

  it("2 MiB leaf at level 2 (NextLevel 0)", () => {
    const memory = workedExample();
    memory.write64(0x101000n + 0xd10n, 0x6000000040000001n);
    expect(dma(memory, ADDRESS)).toMatchObject({ ok: true, physicalAddress: 0x40167abcn });
  });

  it("32 KiB leaf at level 1 (NextLevel 7, replicated in entries 352-359)", () => {
    const memory = workedExample();
    for (let index = 352n; index <= 359n; index++) memory.write64(0x102000n + index * 8n, 0x6000000080003e01n);
    expect(dma(memory, ADDRESS, true)).toMatchObject({ ok: true, physicalAddress: 0x80007abcn });
  });

  it("NextLevel 7 sizes outside the level's bounds fault with RZ", () => {
    const memory = workedExample();
    // a 2 MiB explicit page at level 1: not below level 2's default size
    memory.write64(0x102000n + 0xb38n, 0x60000000800ffe01n);
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ reason: "BAD_PAGE_SIZE", flagsWord: 0x90 });
  });

  it("an address at or above 2^39 is out of range for Mode 3", () => {
    expect(faultOf(dma(workedExample(), 0x80_0000_0000n))).toMatchObject({ code: "IO_PAGE_FAULT", reason: "ADDRESS_OUT_OF_RANGE", flagsWord: 0 });
  });

  it("a not-present entry faults with PR=0", () => {
    const fault = faultOf(dma(workedExample(), ADDRESS + 0x1000n, true));
    expect(fault).toMatchObject({ reason: "NOT_PRESENT", level: 1, flagsWord: 0x20 });
    expect(faultOf(dma(workedExample(), 0x1000n))).toMatchObject({ reason: "NOT_PRESENT", level: 3 });
  });
});

describe("translateDma: permissions, levels, the DTE", () => {
  it("ANDs IR/IW across the DTE and every level", () => {
    const memory = workedExample();
    memory.write64(0x102000n + 0xb38n, 0x60000000abcde001n); // leaf R|W
    expect(dma(memory, ADDRESS, true)).toMatchObject({ ok: true });
    memory.write64(0x101000n + 0xd10n, 0x2000000000102201n); // the level-2 PDE drops IW
    expect(faultOf(dma(memory, ADDRESS, true))).toMatchObject({ reason: "PERMISSION", level: 1 });
    expect(dma(memory, ADDRESS)).toMatchObject({ ok: true });
    memory.write64(DT_BASE + BigInt(BDF * 32), 0x4000000000100603n); // DTE drops IR
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ reason: "PERMISSION", flagsWord: 0x50 });
  });

  it("skips levels when NextLevel is below level - 1, and faults when the skipped bits are set", () => {
    const memory = workedExample();
    // level 3 entry 0x48 points straight to the level-1 table: level 2 (bits 29:21) is skipped
    memory.write64(0x100000n + 0x240n, 0x6000000000102201n);
    memory.write64(0x102000n + 0x167n * 8n, 0x60000000abcde001n);
    const inSkippedZero = ADDRESS & ~(0x1ffn << 21n);
    expect(dma(memory, inSkippedZero)).toMatchObject({ ok: true, physicalAddress: 0xabcdeabcn });
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ reason: "SKIPPED_BITS_SET", level: 3, flags: { PR: true } });
  });

  it("rejects NextLevel not below the current level", () => {
    const memory = workedExample();
    memory.write64(0x100000n + 0x240n, 0x6000000000101601n); // NextLevel 3 at level 3
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ reason: "INVALID_LEVEL", flagsWord: 0x90 });
    const level1 = workedExample();
    level1.write64(0x102000n + 0xb38n, 0x20000000abcde201n); // NextLevel 1 at level 1
    expect(faultOf(dma(level1, ADDRESS))).toMatchObject({ reason: "INVALID_LEVEL", level: 1 });
  });

  it("V=0 passes DMA through untranslated", () => {
    const memory = new PhysicalMemory();
    expect(dma(memory, 0xdead_b000n, true)).toEqual({ ok: true, physicalAddress: 0xdead_b000n, translated: false });
  });

  it("NOVA's deny state (V=1 TV=0) blocks every DMA", () => {
    const memory = new PhysicalMemory();
    new DeviceTable(memory, DT_BASE).writeWords(BDF, NOVA_DENY_DTE);
    const fault = faultOf(dma(memory, 0x1000n));
    expect(fault).toMatchObject({ code: "IO_PAGE_FAULT", reason: "DMA_BLOCKED", flagsWord: 0 });
    expect(faultOf(dma(memory, 0x1000n, true)).flags.RW).toBe(true);
  });

  it("Mode 0 is pass-through limited by DTE.IR / DTE.IW", () => {
    const memory = new PhysicalMemory();
    memory.write64(DT_BASE + BigInt(BDF * 32), 0x2000000000000003n); // V TV IR, Mode 0
    expect(dma(memory, 0x1234_5678n)).toEqual({ ok: true, physicalAddress: 0x1234_5678n, translated: false });
    expect(faultOf(dma(memory, 0x1234_5678n, true))).toMatchObject({ reason: "PERMISSION", flagsWord: 0x70 });
  });

  it("Mode 7, a Mode above 4 + HATS, and reserved DTE bits are illegal DTEs", () => {
    const memory = workedExample();
    memory.write64(DT_BASE + BigInt(BDF * 32), 0x6000000000100e03n); // Mode 7
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ code: "ILLEGAL_DEV_TABLE_ENTRY", reason: "DTE_BAD_MODE", flagsWord: 0x80 });
    memory.write64(DT_BASE + BigInt(BDF * 32), 0x6000000000100a03n); // Mode 5
    expect(faultOf(dma(memory, ADDRESS, false, maxLevelsFromHats(0)))).toMatchObject({ reason: "DTE_BAD_MODE" });
    memory.write64(DT_BASE + BigInt(BDF * 32), 0x6000000000100607n); // bit 2 reserved
    expect(faultOf(dma(memory, ADDRESS))).toMatchObject({ code: "ILLEGAL_DEV_TABLE_ENTRY", reason: "DTE_RESERVED_BITS" });
    expect(() => maxLevelsFromHats(3)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-108" }));
    expect(() => translateDma({ memory, deviceTableBase: DT_BASE, bdf: 0x10000, iova: 0n, write: false })).toThrowError(
      expect.objectContaining({ code: "NK-IOMMU-107" }),
    );
  });

  it("walks tables built by the radix engine with NOVA's DTE, at every Mode", () => {
    for (const levels of [1, 2, 3, 4, 5, 6]) {
      const memory = new PhysicalMemory();
      const table = new RadixPageTable(createAmdDptFormat({ levels }), new FrameAllocator([{ base: 0x100000n, size: 0x100000n }]), memory);
      const iova = levels === 1 ? 0x5000n : 0x1f_f000n;
      table.map(iova, 0x3_0000_0000n, 0, MemoryPermission.R | MemoryPermission.W, DEFAULT_ATTRIBUTES);
      table.map(iova + 0x1000n, 0x3_0000_5000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES);
      const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: levels, domainId: 7 });
      new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
      expect(dma(memory, iova + 0x18n, true)).toEqual({ ok: true, physicalAddress: 0x3_0000_0018n, translated: true });
      expect(dma(memory, iova + 0x1018n)).toEqual({ ok: true, physicalAddress: 0x3_0000_5018n, translated: true });
      expect(faultOf(dma(memory, iova + 0x1018n, true))).toMatchObject({ reason: "PERMISSION", domainId: 7 });
      expect(faultOf(dma(memory, iova + 0x2000n))).toMatchObject({ reason: "NOT_PRESENT" });
    }
  });

  it("indexes every level correctly at high addresses (Mode 5 and 6)", () => {
    for (const [levels, iova] of [[6, 0xfedc_ba98_7654_3000n], [5, 0x1_dcba_9876_5432_1000n >> 8n & ~0xfffn]] as const) {
      const memory = new PhysicalMemory();
      const table = new RadixPageTable(createAmdDptFormat({ levels }), new FrameAllocator([{ base: 0x100000n, size: 0x100000n }]), memory);
      expect(table.map(iova, 0x5000n, 0, MemoryPermission.R, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
      const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: levels, domainId: 3 });
      new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
      expect(dma(memory, iova + 0x123n)).toEqual({ ok: true, physicalAddress: 0x5123n, translated: true });
      // one bit flipped in each level's index: never the mapped page
      for (let bit = 12n; bit < BigInt(Math.min(64, 12 + 9 * levels)); bit += 9n) {
        expect(faultOf(dma(memory, iova ^ (1n << bit)))).toMatchObject({ reason: "NOT_PRESENT" });
      }
    }
  });

  it("a 1 GiB engine leaf (NextLevel 0 at level 3)", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: 0x100000n, size: 0x100000n }]), memory);
    table.map(0x4000_0000n, 0x8_0000_0000n, 18, MemoryPermission.W, DEFAULT_ATTRIBUTES);
    const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
    new DeviceTable(memory, DT_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
    expect(dma(memory, 0x7fff_fff8n, true)).toMatchObject({ ok: true, physicalAddress: 0x8_3fff_fff8n });
    expect(faultOf(dma(memory, 0x7fff_fff8n))).toMatchObject({ reason: "PERMISSION" });
  });
});
