import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, PhysicalMemory, RadixPageTable, SeededRandom } from "@novakit/kernel-core";
import { encodeInvalidateDomain } from "../command/encode-command.js";
import { novaAssignedTranslation, NOVA_DENY_DTE } from "../device-table/device-table-entry.js";
import { DeviceTable } from "../device-table/device-table.js";
import { createAmdDptFormat } from "../dpt/amd-dpt-format.js";
import { IommuControl } from "../mmio/control-bits.js";
import { IommuMmio } from "../mmio/mmio-offsets.js";
import { DEVICE_TABLE_BASE, TestDriver } from "./test-support/test-driver.js";

const DEVICE = 0x0300;
const DOMAIN = 5;
const MAPPED_PAGES = 64;
const DOMAIN_IOVA = 0x4000_0000n;
const DOMAIN_MEMORY = 0x8000_0000n;

describe("a malicious device at random addresses (the soak property, small)", () => {
  it("reaches only its domain's frames; every abort is logged, dropped-and-counted, or suppressed", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: 0x100_0000n, size: 0x10_0000n }]), memory);
    for (let page = 0; page < MAPPED_PAGES; page++) {
      const offset = BigInt(page) << 12n;
      table.map(DOMAIN_IOVA + offset, DOMAIN_MEMORY + offset, 0, page % 2 === 0 ? MemoryPermission.R | MemoryPermission.W : MemoryPermission.R, DEFAULT_ATTRIBUTES);
    }
    const devices = new DeviceTable(memory, DEVICE_TABLE_BASE);
    const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: DOMAIN });
    devices.writeWords(DEVICE, [q0, q1, 0n, 0n]);
    devices.writeWords(DEVICE + 1, NOVA_DENY_DTE);
    const driver = TestDriver.started(memory, { iotlbCapacity: 32 });
    const unit = driver.unit;
    const random = new SeededRandom(42);
    let reached = 0;
    let drained = 0;
    for (let request = 0; request < 20_000; request++) {
      // half the requests inside the mapped window, half anywhere in 48 bits; some from the denied device
      const inside = random.below(2) === 0;
      const iova = inside ? DOMAIN_IOVA + BigInt(random.below(MAPPED_PAGES * 4096)) : BigInt(random.below(2 ** 30)) * BigInt(random.below(2 ** 18));
      const bdf = random.below(8) === 0 ? DEVICE + 1 : DEVICE;
      const outcome = unit.translate({ bdf, iova, write: random.below(2) === 0 });
      if (outcome.ok) {
        reached += 1;
        expect(bdf).toBe(DEVICE);
        expect(outcome.physicalAddress >= DOMAIN_MEMORY && outcome.physicalAddress < DOMAIN_MEMORY + BigInt(MAPPED_PAGES * 4096)).toBe(true);
      }
      // drain now and then, and flush the domain now and then: the log overflows in between
      if (request % 1000 === 999) {
        drained += driver.drainEvents().length;
        const control = unit.mmioRead64(IommuMmio.CONTROL);
        unit.mmioWrite64(IommuMmio.CONTROL, control & ~IommuControl.EVENT_LOG_EN);
        unit.mmioWrite64(IommuMmio.CONTROL, control);
        expect(driver.submitAndWait(encodeInvalidateDomain(DOMAIN))).toBe(true);
      }
    }
    drained += driver.drainEvents().length;
    const stats = unit.stats();
    expect(stats.translations).toBe(20_000);
    expect(reached + stats.faults).toBe(20_000);
    expect(stats.faults).toBe(stats.eventsLogged + stats.droppedEvents + stats.suppressedEvents);
    expect(drained).toBe(stats.eventsLogged);
    expect(stats.droppedEvents).toBeGreaterThan(0);
    expect(stats.iotlbHits).toBeGreaterThan(0);
  });

  it("caches are transparent while memory does not change: cached and uncached answers agree", () => {
    const memory = new PhysicalMemory();
    const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([{ base: 0x100_0000n, size: 0x40_0000n }]), memory);
    const random = new SeededRandom(7);
    const window = 0x4000_0000n; // mappings inside one 1 GiB region: 4 KiB and 2 MiB pages
    const mapped: bigint[] = [];
    for (let index = 0; index < 300; index++) {
      const large = random.below(10) === 0;
      const order = large ? 9 : 0;
      const iova = window + (BigInt(random.below(512 << (9 - order))) << BigInt(12 + order));
      const permissions = random.below(2) === 0 ? MemoryPermission.R : MemoryPermission.R | MemoryPermission.W;
      table.map(iova, 0x2_0000_0000n + (BigInt(index) << 21n), order, permissions, DEFAULT_ATTRIBUTES);
      mapped.push(iova);
    }
    const devices = new DeviceTable(memory, DEVICE_TABLE_BASE);
    const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: DOMAIN });
    devices.writeWords(DEVICE, [q0, q1, 0n, 0n]);
    devices.writeWords(DEVICE + 1, [q0 & ~(1n << 62n), q1, 0n, 0n]); // same domain, DTE.IW = 0
    const unit = TestDriver.started(memory, { iotlbCapacity: 64 }).unit;
    for (let request = 0; request < 5000; request++) {
      const choice = random.below(8);
      const iova =
        choice === 0
          ? BigInt(random.below(2 ** 30)) << BigInt(random.below(30)) // anywhere, mostly out of range for Mode 4
          : choice < 3
            ? window + BigInt(random.below(2 ** 30)) // anywhere in the window
            : (mapped[random.below(mapped.length)] as bigint) + BigInt(random.below(8192)); // a mapped page (or the one after it)
      const bdf = DEVICE + random.below(2);
      const write = random.below(2) === 0;
      const cached = unit.translate({ bdf, iova, write });
      const uncached = unit.translate({ bdf, iova, write, useCache: false });
      if (uncached.ok) expect(cached).toEqual(uncached);
      else if (cached.ok) expect.fail(`cached translation of 0x${iova.toString(16)} succeeded, the walk faulted (${uncached.fault.reason})`);
      else expect([cached.fault.code, cached.fault.flagsWord, cached.fault.address, cached.fault.domainId]).toEqual([uncached.fault.code, uncached.fault.flagsWord, uncached.fault.address, uncached.fault.domainId]);
    }
    expect(unit.stats().iotlbHits).toBeGreaterThan(100);
  });
});
