import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "@novakit/kernel-core";
import {
  encodeCompletionWait,
  encodeInvalidateDevtabEntry,
  encodeInvalidateDomain,
  encodeInvalidateIommuAll,
  encodeInvalidateIommuPages,
} from "../command/encode-command.js";
import { NOVA_DENY_DTE } from "../device-table/device-table-entry.js";
import { DeviceTable } from "../device-table/device-table.js";
import { encodeDeviceTableBase } from "../mmio/base-registers.js";
import { IommuControl } from "../mmio/control-bits.js";
import { IommuMmio } from "../mmio/mmio-offsets.js";
import { IommuStatus } from "../mmio/status-bits.js";
import type { DmaTranslation } from "../translation/translate-dma.js";
import type { IommuInterruptCause } from "./amd-iommu-options.js";
import { COMMAND_RING, createUnit, DEVICE_TABLE_BASE, DOORBELL, EVENT_LOG, TestDriver } from "./test-support/test-driver.js";

const BDF = 0x0100;
const DOMAIN = 0x42;
/** the §4.5 worked example: read-only page 0x12_3456_7000 -> 0xABCDE000 */
const READ_ONLY_IOVA = 0x12_3456_7abcn;
/** a second, read/write page beside it: 0x12_3456_8000 -> 0xABCDF000 */
const READ_WRITE_IOVA = 0x12_3456_8010n;
const LEAF_TABLE = 0x10_2000n;
const READ_ONLY_PTE = LEAF_TABLE + 0x167n * 8n;
const READ_WRITE_PTE = LEAF_TABLE + 0x168n * 8n;
const DTE_Q0 = 0x6000_0000_0010_0603n;
const dteAddress = (bdf: number) => DEVICE_TABLE_BASE + BigInt(bdf * 32);

/** amd-iommu.md §4.5: DTE Mode 3, root 0x100000, three levels, DomainID 0x42 */
function mapWorkedExample(memory: PhysicalMemory, bdf = BDF, domain = DOMAIN): void {
  memory.write64(dteAddress(bdf), DTE_Q0);
  memory.write64(dteAddress(bdf) + 8n, BigInt(domain));
  memory.write64(0x10_0000n + 0x240n, 0x6000_0000_0010_1401n);
  memory.write64(0x10_1000n + 0xd10n, 0x6000_0000_0010_2201n);
  memory.write64(READ_ONLY_PTE, 0x2000_0000_abcd_e001n);
  memory.write64(READ_WRITE_PTE, 0x6000_0000_abcd_f001n);
}

function physical(outcome: DmaTranslation): bigint {
  if (!outcome.ok) throw new Error(`expected a translation, got ${outcome.fault.reason}`);
  return outcome.physicalAddress;
}

function started(options: Parameters<typeof TestDriver.started>[1] = {}) {
  const memory = new PhysicalMemory();
  mapWorkedExample(memory);
  const driver = TestDriver.started(memory, options);
  return { memory, driver, unit: driver.unit };
}

describe("AmdIommu.translate (amd-iommu.md §3.4, §4)", () => {
  it("translates through the DTE and the I/O page table, and logs a write fault as IO_PAGE_FAULT", () => {
    const { unit, driver } = started();
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false })).toEqual({ ok: true, physicalAddress: 0xabcd_eabcn, translated: true });
    const fault = unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true });
    expect(fault).toMatchObject({ ok: false, fault: { code: "IO_PAGE_FAULT", reason: "PERMISSION", domainId: DOMAIN } });
    expect(driver.drainEvents()).toEqual([{ kind: "IO_PAGE_FAULT", deviceId: BDF, domainId: DOMAIN, flags: 0x70, address: READ_ONLY_IOVA }]);
    expect(unit.stats()).toMatchObject({ translations: 2, faults: 1, eventsLogged: 1, droppedEvents: 0 });
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.EVENT_LOG_INT).toBe(IommuStatus.EVENT_LOG_INT);
  });

  it("passes DMA untranslated while IommuEn = 0 (§2.4) and for DTE V = 0 (§3.4)", () => {
    const memory = new PhysicalMemory();
    mapWorkedExample(memory);
    const unit = createUnit(memory);
    expect(unit.translate({ bdf: BDF, iova: 0x5000n, write: true })).toEqual({ ok: true, physicalAddress: 0x5000n, translated: false });
    const driver = new TestDriver(unit, memory);
    driver.init();
    expect(unit.translate({ bdf: 0x0200, iova: 0x5000n, write: true })).toEqual({ ok: true, physicalAddress: 0x5000n, translated: false });
  });

  it("NOVA's deny DTE (V=1 TV=0) aborts and logs IO_PAGE_FAULT (§3.4: VirtualBox/openvmm log it)", () => {
    const { unit, driver, memory } = started();
    new DeviceTable(memory, DEVICE_TABLE_BASE).writeWords(0x0200, NOVA_DENY_DTE);
    expect(unit.translate({ bdf: 0x0200, iova: 0x1000n, write: true })).toMatchObject({ ok: false, fault: { reason: "DMA_BLOCKED" } });
    expect(driver.drainEvents()).toEqual([{ kind: "IO_PAGE_FAULT", deviceId: 0x0200, domainId: 0, flags: 0x20, address: 0x1000n }]);
  });

  it("DTE.SA suppresses the event, not the abort (§6.3)", () => {
    const { unit, driver, memory } = started();
    memory.write64(dteAddress(BDF) + 8n, BigInt(DOMAIN) | (1n << 34n));
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true }).ok).toBe(false);
    expect(driver.drainEvents()).toEqual([]);
    expect(unit.stats()).toMatchObject({ faults: 1, eventsLogged: 0, suppressedEvents: 1 });
  });

  it("an illegal DTE logs ILLEGAL_DEV_TABLE_ENTRY with RZ", () => {
    const { unit, driver, memory } = started();
    memory.write64(dteAddress(BDF), DTE_Q0 | (7n << 9n)); // Mode 7
    expect(unit.translate({ bdf: BDF, iova: 0x1003n, write: true })).toMatchObject({ ok: false, fault: { code: "ILLEGAL_DEV_TABLE_ENTRY" } });
    expect(driver.drainEvents()).toEqual([{ kind: "ILLEGAL_DEV_TABLE_ENTRY", deviceId: BDF, pasid: 0, flags: 0xa0, address: 0x1000n }]);
  });

  it("a DeviceID beyond DEV_TBL_BASE.Size is aborted and logged", () => {
    const { unit, driver } = started();
    unit.mmioWrite64(IommuMmio.DEV_TBL_BASE, encodeDeviceTableBase({ base: DEVICE_TABLE_BASE, sizeField: 0 })); // 128 DeviceIDs
    expect(unit.translate({ bdf: 0x7f, iova: 0x1000n, write: false }).ok).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false })).toMatchObject({ ok: false, fault: { reason: "DEVICE_ID_OUT_OF_RANGE" } });
    expect(driver.drainEvents()).toMatchObject([{ kind: "IO_PAGE_FAULT", deviceId: BDF, flags: 0 }]);
  });

  it("rejects requests that are not a 16-bit DeviceID and a 64-bit address (NK-IOMMU-210)", () => {
    const { unit } = started();
    expect(() => unit.translate({ bdf: 0x10000, iova: 0n, write: false })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-210" }));
    expect(() => unit.translate({ bdf: 1, iova: 1n << 64n, write: false })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-210" }));
  });

  it("rejects bad construction options (NK-IOMMU-209)", () => {
    const memory = new PhysicalMemory();
    for (const options of [{ mmioBase: 0xfd20_1000n }, { segment: 0x10000 }, { deviceId: -1 }, { efr: 1n << 64n }, { iotlbCapacity: 0 }]) {
      expect(() => createUnit(memory, options)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-209" }));
    }
  });
});

describe("the exclusion range (§2.2, §10.8)", () => {
  it("forwards addresses in [base, limit|FFFh] untranslated, for every device with Allow or for DTE.EX devices", () => {
    const { unit, memory } = started();
    unit.mmioWrite64(IommuMmio.EXCL_BASE, 0x12_3456_7000n | 3n); // ExEn | Allow
    unit.mmioWrite64(IommuMmio.EXCL_LIMIT, 0x12_3456_7000n); // inclusive: up to ...7FFF
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true })).toEqual({ ok: true, physicalAddress: READ_ONLY_IOVA, translated: false });
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: true }))).toBe(0xabcd_f010n);
    unit.mmioWrite64(IommuMmio.EXCL_BASE, 0x12_3456_7000n | 1n); // ExEn only: DTE.EX decides
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true }).ok).toBe(false);
    memory.write64(dteAddress(BDF) + 8n, BigInt(DOMAIN) | (1n << 39n)); // EX
    unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false, useCache: false });
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true, useCache: false })).toMatchObject({ ok: true, translated: false });
    unit.mmioWrite64(IommuMmio.EXCL_BASE, 0x12_3456_7000n); // ExEn clear
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true, useCache: false }).ok).toBe(false);
  });
});

describe("IOTLB: stale until INVALIDATE_IOMMU_PAGES (§10.10)", () => {
  it("keeps a remapped page's old translation until its page is invalidated", () => {
    const { unit, driver, memory } = started();
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n);
    memory.write64(READ_WRITE_PTE, 0x6000_0000_1234_5001n); // remap without invalidation
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n); // stale
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false, useCache: false }))).toBe(0x1234_5010n);
    // the wrong domain, and a page beside it, change nothing
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN + 1, address: 0x12_3456_8000n, size: false, pde: false }))).toBe(true);
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_7000n, size: false, pde: false }))).toBe(true);
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n);
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_8000n, size: false, pde: false }))).toBe(true);
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0x1234_5010n);
    expect(unit.stats()).toMatchObject({ iotlbHits: 2, iotlbMisses: 2 });
  });

  it("keeps cached permissions in both directions until invalidated", () => {
    const { unit, driver, memory } = started();
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: true }).ok).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false }).ok).toBe(true);
    memory.write64(READ_WRITE_PTE, 0x2000_0000_abcd_f001n); // revoke write
    memory.write64(READ_ONLY_PTE, 0x6000_0000_abcd_e001n); // grant write
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: true }).ok).toBe(true); // stale grant
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true }).ok).toBe(false); // stale denial
    // a 16 KiB S=1 range (0x12_3456_4000 .. 0x12_3456_7FFF) holds only the read-only page
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_5000n, size: true, pde: false }))).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true }).ok).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: true }).ok).toBe(true);
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_9000n, size: true, pde: true }))).toBe(true); // 0x...8000-BFFF
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: true }).ok).toBe(false);
  });

  it("the invalidate-all-pages encodings (NOVA's and Linux's) and INVALIDATE_IOMMU_ALL drop the domain's pages", () => {
    for (const command of [
      encodeInvalidateDomain(DOMAIN),
      encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x7fff_ffff_ffff_f000n, size: true, pde: true }),
      encodeInvalidateIommuAll(),
    ]) {
      const { unit, driver, memory } = started();
      unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false });
      unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false });
      expect(unit.cacheOccupancy().iotlb).toBe(2);
      memory.write64(READ_WRITE_PTE, 0n);
      expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true);
      expect(driver.submitAndWait(command)).toBe(true);
      expect(unit.cacheOccupancy().iotlb).toBe(0);
      expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false })).toMatchObject({ ok: false, fault: { reason: "NOT_PRESENT" } });
    }
  });

  it("is bounded: at capacity the next fill drops everything (QEMU's policy, §9.1)", () => {
    const { unit } = started({ iotlbCapacity: 1 });
    unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false });
    expect(unit.cacheOccupancy().iotlb).toBe(1);
    unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: false });
    expect(unit.cacheOccupancy().iotlb).toBe(1);
    unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false });
    expect(unit.stats()).toMatchObject({ iotlbHits: 0, iotlbMisses: 3 });
  });
});

describe("page-directory cache: PDEs stale until INVALIDATE_IOMMU_PAGES with PDE=1 (§5.3)", () => {
  it("a rewritten PDE flushed with PDE=0 still steers the walk to the old table", () => {
    const { unit, driver, memory } = started();
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n);
    expect(unit.cacheOccupancy()).toMatchObject({ iotlb: 1, directories: 2 }); // the level-2 and level-1 tables
    // a new level-1 table, and the level-2 PDE pointed at it
    memory.write64(0x10_3000n + 0x168n * 8n, 0x6000_0000_5555_5001n);
    memory.write64(0x10_1000n + 0xd10n, 0x6000_0000_0010_3201n);
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_8000n, size: false, pde: false }))).toBe(true);
    expect(unit.cacheOccupancy()).toMatchObject({ iotlb: 0, directories: 2 });
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n); // walked from the cached old table
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false, useCache: false }))).toBe(0x5555_5010n);
    expect(driver.submitAndWait(encodeInvalidateIommuPages({ domainId: DOMAIN, address: 0x12_3456_8000n, size: false, pde: true }))).toBe(true);
    expect(physical(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }))).toBe(0x5555_5010n);
  });

  it("a walk from a cached table reports faults with the request's own address and level", () => {
    const { unit, driver } = started();
    unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false });
    const beside = 0x12_3456_9ff0n; // same level-1 table, entry 0x169: not present
    expect(unit.translate({ bdf: BDF, iova: beside, write: true })).toMatchObject({ ok: false, fault: { reason: "NOT_PRESENT", level: 1, address: beside } });
    expect(driver.drainEvents()).toEqual([{ kind: "IO_PAGE_FAULT", deviceId: BDF, domainId: DOMAIN, flags: 0x20, address: beside }]);
    // out of range for Mode 3 even though the low bits match a cached table
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA | (1n << 40n), write: false })).toMatchObject({ ok: false, fault: { reason: "ADDRESS_OUT_OF_RANGE" } });
  });
});

describe("device-table cache: stale until INVALIDATE_DEVTAB_ENTRY (§10.10)", () => {
  it("keeps using an assigned DTE that was rewritten to deny, until the entry is invalidated", () => {
    const { unit, driver, memory } = started();
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true);
    new DeviceTable(memory, DEVICE_TABLE_BASE).writeWords(BDF, NOVA_DENY_DTE);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true); // stale
    expect(driver.submitAndWait(encodeInvalidateDevtabEntry(BDF + 1))).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true);
    expect(driver.submitAndWait(encodeInvalidateDevtabEntry(BDF))).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false })).toMatchObject({ ok: false, fault: { reason: "DMA_BLOCKED" } });
  });

  it("keeps a denied device denied after it is assigned in memory, until the entry is invalidated", () => {
    const { unit, driver, memory } = started();
    const table = new DeviceTable(memory, DEVICE_TABLE_BASE);
    table.writeWords(0x0300, NOVA_DENY_DTE);
    expect(unit.translate({ bdf: 0x0300, iova: READ_WRITE_IOVA, write: false }).ok).toBe(false);
    mapWorkedExample(memory, 0x0300, DOMAIN);
    expect(unit.translate({ bdf: 0x0300, iova: READ_WRITE_IOVA, write: false }).ok).toBe(false); // stale deny
    expect(driver.submitAndWait(encodeInvalidateDevtabEntry(0x0300))).toBe(true);
    expect(physical(unit.translate({ bdf: 0x0300, iova: READ_WRITE_IOVA, write: false }))).toBe(0xabcd_f010n);
  });

  it("a DomainID changed without INVALIDATE_DEVTAB_ENTRY keeps the old domain's IOTLB entries in use", () => {
    const { unit, driver, memory } = started();
    unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false });
    memory.write64(dteAddress(BDF) + 8n, 0x77n);
    memory.write64(READ_WRITE_PTE, 0n);
    expect(driver.submitAndWait(encodeInvalidateDomain(0x77))).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true); // old DTE, old domain
    expect(driver.submitAndWait(encodeInvalidateDevtabEntry(BDF))).toBe(true);
    expect(unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false })).toMatchObject({ ok: false, fault: { domainId: 0x77 } });
  });
});

describe("two units sharing one device table (§10.16, nova.md §4.2)", () => {
  it("have independent caches: an invalidation reaches only the unit it was sent to", () => {
    const memory = new PhysicalMemory();
    mapWorkedExample(memory);
    const first = new TestDriver(createUnit(memory), memory);
    const second = new TestDriver(createUnit(memory, { mmioBase: 0xfd28_0000n, deviceId: 0x2002 }), memory, { commands: 0x3_0000n, events: 0x3_1000n });
    first.init();
    second.init();
    for (const driver of [first, second]) expect(driver.unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true);
    new DeviceTable(memory, DEVICE_TABLE_BASE).writeWords(BDF, NOVA_DENY_DTE);
    expect(first.submitAndWait(encodeInvalidateDevtabEntry(BDF))).toBe(true);
    expect(first.unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(false);
    expect(second.unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(true); // still cached there
    expect(second.submitAndWait(encodeInvalidateDevtabEntry(BDF))).toBe(true);
    expect(second.unit.translate({ bdf: BDF, iova: READ_WRITE_IOVA, write: false }).ok).toBe(false);
    // each unit logged its own fault in its own log
    expect(first.drainEvents()).toHaveLength(1);
    expect(second.drainEvents()).toHaveLength(1);
  });
});

describe("command buffer (§5.1, §5.3)", () => {
  it("COMPLETION_WAIT stores its data and, with I=1, sets ComWaitInt (interrupt only with ComWaitIntEn)", () => {
    const causes: IommuInterruptCause[] = [];
    const { unit, driver, memory } = started({ onInterrupt: (cause) => causes.push(cause) });
    driver.submit(encodeCompletionWait({ store: true, interrupt: true, storeAddress: DOORBELL, storeData: 0xfeed_beefn }));
    expect(memory.read64(DOORBELL)).toBe(0xfeed_beefn);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.COM_WAIT_INT).toBe(IommuStatus.COM_WAIT_INT);
    expect(causes).toEqual([]);
    unit.mmioWrite64(IommuMmio.STATUS, IommuStatus.COM_WAIT_INT); // W1C
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.COM_WAIT_INT).toBe(0n);
    unit.mmioWrite64(IommuMmio.CONTROL, unit.mmioRead64(IommuMmio.CONTROL) | IommuControl.COM_WAIT_INT_EN);
    driver.submit(encodeCompletionWait({ store: false, interrupt: true, storeAddress: 0n, storeData: 0n }));
    expect(causes).toEqual(["COMPLETION_WAIT"]);
    expect(unit.stats()).toMatchObject({ commandsProcessed: 2, interrupts: 1 });
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0x20n);
  });

  it("processes nothing while CmdBufRun = 0, and catches up when the queue is enabled", () => {
    const { unit, driver, memory } = started();
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.IOMMU_EN | IommuControl.EVENT_LOG_EN);
    expect(driver.submitAndWait()).toBe(false);
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0n);
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.IOMMU_EN | IommuControl.EVENT_LOG_EN | IommuControl.CMD_BUF_EN);
    expect(memory.read64(DOORBELL)).toBe(1n);
  });

  it("stallCommands leaves the COMPLETION_WAIT store undone until the stall ends", () => {
    const { unit, driver, memory } = started();
    unit.stallCommands = true;
    expect(driver.submitAndWait(encodeInvalidateIommuAll())).toBe(false);
    expect(memory.read64(DOORBELL)).toBe(0n);
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0n);
    expect(unit.stats().commandsProcessed).toBe(0);
    unit.stallCommands = false;
    expect(memory.read64(DOORBELL)).toBe(1n);
    expect(unit.stats().commandsProcessed).toBe(2);
  });

  it("an illegal command halts the ring on itself and logs ILLEGAL_COMMAND_ERROR; NOVA's repair restarts it", () => {
    const causes: IommuInterruptCause[] = [];
    const { unit, driver, memory } = started({ onInterrupt: (cause) => causes.push(cause) });
    expect(driver.submitAndWait(encodeInvalidateDevtabEntry(1), [0xb000_0000_0000_0000n, 0n], encodeInvalidateDevtabEntry(2))).toBe(false);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.CMD_BUF_RUN).toBe(0n);
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0x10n);
    expect(driver.drainEvents()).toEqual([{ kind: "ILLEGAL_COMMAND_ERROR", address: COMMAND_RING + 0x10n }]);
    expect(causes).toEqual(["EVENT_LOG"]);
    expect(unit.stats().commandsProcessed).toBe(1);
    // a tail write while halted does nothing
    unit.mmioWrite64(IommuMmio.CMD_TAIL, unit.mmioRead64(IommuMmio.CMD_TAIL));
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0x10n);
    // NOVA: replace the command at CMD_HEAD with a plain COMPLETION_WAIT, toggle CmdBufEn (nova.md §4.7)
    const [low, high] = encodeCompletionWait({ store: false, interrupt: false, storeAddress: 0n, storeData: 0n });
    memory.write64(COMMAND_RING + 0x10n, low);
    memory.write64(COMMAND_RING + 0x18n, high);
    const control = unit.mmioRead64(IommuMmio.CONTROL);
    unit.mmioWrite64(IommuMmio.CONTROL, control & ~IommuControl.CMD_BUF_EN);
    unit.mmioWrite64(IommuMmio.CONTROL, control);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.CMD_BUF_RUN).toBe(IommuStatus.CMD_BUF_RUN);
    expect(memory.read64(DOORBELL)).toBe(1n);
    expect(unit.mmioRead64(IommuMmio.CMD_HEAD)).toBe(0x40n);
  });

  it("a command the unit does not support is illegal too (INVALIDATE_IOMMU_ALL without IASup)", () => {
    const { unit, driver } = started({ efr: 0n, mmioBase: 0xfeb8_0000n });
    expect(driver.submitAndWait(encodeInvalidateIommuAll())).toBe(false);
    expect(driver.drainEvents()).toEqual([{ kind: "ILLEGAL_COMMAND_ERROR", address: COMMAND_RING }]);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.CMD_BUF_RUN).toBe(0n);
  });
});

describe("event log (§6.1)", () => {
  it("overflows after N-1 entries: EVT_OVR set, logging stopped, drops counted; re-enabling resumes", () => {
    const causes: IommuInterruptCause[] = [];
    const { unit, driver } = started({ onInterrupt: (cause) => causes.push(cause) });
    const fault = (iova: bigint) => unit.translate({ bdf: BDF, iova, write: true });
    for (let index = 0; index < 255; index++) fault(BigInt(index) << 12n);
    expect(unit.mmioRead64(IommuMmio.EVT_TAIL)).toBe(0xff0n);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.EVENT_OVERFLOW).toBe(0n);
    fault(0xdead_0000n); // the 256th: no room
    fault(0xdead_1000n); // and after it, nothing is logged
    const status = unit.mmioRead64(IommuMmio.STATUS);
    expect(status & (IommuStatus.EVENT_OVERFLOW | IommuStatus.EVENT_LOG_RUN)).toBe(IommuStatus.EVENT_OVERFLOW);
    expect(unit.stats()).toMatchObject({ faults: 257, eventsLogged: 255, droppedEvents: 2 });
    expect(causes.length).toBe(256); // 255 entries and the overflow itself
    const events = driver.drainEvents();
    expect(events).toHaveLength(255);
    expect(events[254]).toEqual({ kind: "IO_PAGE_FAULT", deviceId: BDF, domainId: DOMAIN, flags: 0x20, address: 254n << 12n });
    // NOVA's restart: EventLogEn 1 -> 0 -> 1 clears the overflow (nova.md §4.7)
    const control = unit.mmioRead64(IommuMmio.CONTROL);
    unit.mmioWrite64(IommuMmio.CONTROL, control & ~IommuControl.EVENT_LOG_EN);
    unit.mmioWrite64(IommuMmio.CONTROL, control);
    expect(unit.mmioRead64(IommuMmio.STATUS) & (IommuStatus.EVENT_OVERFLOW | IommuStatus.EVENT_LOG_RUN)).toBe(IommuStatus.EVENT_LOG_RUN);
    fault(0xbeef_0000n);
    expect(driver.drainEvents()).toEqual([{ kind: "IO_PAGE_FAULT", deviceId: BDF, domainId: DOMAIN, flags: 0x20, address: 0xbeef_0000n }]);
    expect(unit.stats()).toMatchObject({ faults: 258, eventsLogged: 256, droppedEvents: 2 });
  });

  it("Linux's restart (W1C EventOverflow) works too, and EVENT_LOG interrupts need EventIntEn", () => {
    const causes: IommuInterruptCause[] = [];
    const { unit, driver } = started({ onInterrupt: (cause) => causes.push(cause) });
    unit.mmioWrite64(IommuMmio.CONTROL, unit.mmioRead64(IommuMmio.CONTROL) & ~IommuControl.EVENT_INT_EN);
    for (let index = 0; index < 256; index++) unit.translate({ bdf: BDF, iova: BigInt(index) << 12n, write: true });
    expect(causes).toEqual([]);
    driver.drainEvents();
    const control = unit.mmioRead64(IommuMmio.CONTROL);
    unit.mmioWrite64(IommuMmio.CONTROL, control & ~IommuControl.EVENT_LOG_EN);
    unit.mmioWrite64(IommuMmio.STATUS, IommuStatus.EVENT_OVERFLOW);
    unit.mmioWrite64(IommuMmio.CONTROL, control);
    unit.translate({ bdf: BDF, iova: 0x1000n, write: true });
    expect(driver.drainEvents()).toHaveLength(1);
  });

  it("drops (and counts) events while the log is disabled", () => {
    const { unit, driver } = started();
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.IOMMU_EN | IommuControl.CMD_BUF_EN);
    unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true });
    expect(driver.drainEvents()).toEqual([]);
    expect(unit.stats()).toMatchObject({ faults: 1, droppedEvents: 1, eventsLogged: 0 });
    expect(EVENT_LOG).toBe(0x1_1000n);
  });

  it("an interrupt handler may program the unit from inside onInterrupt (NOVA's handler, nova.md §4.7)", () => {
    const memory = new PhysicalMemory();
    mapWorkedExample(memory);
    const seen: string[] = [];
    let driver: TestDriver | undefined;
    const unit = createUnit(memory, {
      onInterrupt: () => {
        const status = unit.mmioRead64(IommuMmio.STATUS);
        if ((status & IommuStatus.EVENT_LOG_INT) !== 0n) {
          unit.mmioWrite64(IommuMmio.STATUS, IommuStatus.EVENT_LOG_INT);
          for (const event of driver?.drainEvents() ?? []) seen.push(event.kind);
        }
      },
    });
    driver = new TestDriver(unit, memory);
    driver.init();
    unit.translate({ bdf: BDF, iova: READ_ONLY_IOVA, write: true });
    unit.translate({ bdf: BDF, iova: 0x1000n, write: false });
    expect(seen).toEqual(["IO_PAGE_FAULT", "IO_PAGE_FAULT"]);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.EVENT_LOG_INT).toBe(0n);
    expect(unit.mmioRead64(IommuMmio.EVT_HEAD)).toBe(unit.mmioRead64(IommuMmio.EVT_TAIL));
  });

  it("32-bit accesses: a CMD_TAIL store runs the ring; a Status store clears only its own half's W1C bits", () => {
    const { unit, memory } = started();
    const [low, high] = encodeCompletionWait({ store: true, interrupt: true, storeAddress: DOORBELL, storeData: 9n });
    memory.write64(COMMAND_RING, low);
    memory.write64(COMMAND_RING + 8n, high);
    unit.mmioWrite32(IommuMmio.CMD_TAIL, 0x10);
    expect(memory.read64(DOORBELL)).toBe(9n);
    unit.mmioWrite32(IommuMmio.STATUS + 4, 0xffff_ffff);
    expect(unit.mmioRead64(IommuMmio.STATUS) & IommuStatus.COM_WAIT_INT).toBe(IommuStatus.COM_WAIT_INT);
    unit.mmioWrite32(IommuMmio.STATUS, 0x4);
    expect(unit.mmioRead32(IommuMmio.STATUS) & 0x4).toBe(0);
  });
});
