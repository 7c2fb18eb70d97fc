import { describe, expect, it } from "vitest";
import { Status } from "@novakit/kernel-core";
import { MmioRegister, StatusBit } from "./mmio-registers.js";
import { bootIommuKernel, RootDma, SMBUS_BDF } from "./test-support/iommu-test-kernel.js";

const FRAME_B = 0x18100n;
const IOVA_PAGE = 0x40000n;
const LET_TICKS_HAPPEN_NS = 3_000_000;
/** a 256-entry log holds 255 events (one slot stays free, amd-iommu.md §6.1) */
const LOG_CAPACITY = 255;

describe("the SMMU interrupt handler repairs what NOVA repairs (nova.md §4.7)", () => {
  it("ILLEGAL_COMMAND_ERROR: the queue halts, the bad command is replaced by a COMPLETION_WAIT and the queue restarted", async () => {
    const record: Record<string, number | bigint | boolean> = {};
    const { result, driver } = await bootIommuKernel({
      durationMs: 20,
      rootTask: async (api, { kernel, driver: running }) => {
        const memory = kernel.services.physicalMemory;
        const unit = running.units[0]!;
        const hardware = unit.hardware;
        const dma = new RootDma(api);
        await dma.takeNovaHost();
        const b = await dma.dmaSpace();
        await dma.map(b, FRAME_B, IOVA_PAGE, 0);
        // opcode 0 is reserved: the unit halts on it, with CMD_HEAD on the bad command
        const bad = unit.queue.base + hardware.mmioRead64(MmioRegister.CMD_HEAD);
        unit.queue.writeRaw([[0n, 0n]]);
        record["halted"] = (hardware.mmioRead64(MmioRegister.STATUS) & StatusBit.CMD_BUF_RUN) === 0n;
        record["headOnBadCommand"] = unit.queue.base + hardware.mmioRead64(MmioRegister.CMD_HEAD) === bad;
        await api.compute(LET_TICKS_HAPPEN_NS);
        // the interrupt came with a tick: the slot now holds a plain COMPLETION_WAIT
        record["replaced"] = memory.read64(bad) === 1n << 60n && memory.read64(bad + 8n) === 0n;
        record["running"] = (hardware.mmioRead64(MmioRegister.STATUS) & StatusBit.CMD_BUF_RUN) !== 0n;
        record["afterRepair"] = await dma.assign(b, SMBUS_BDF);
        record["headAtTail"] = hardware.mmioRead64(MmioRegister.CMD_HEAD) === hardware.mmioRead64(MmioRegister.CMD_TAIL);
      },
    });
    expect(record).toEqual({ halted: true, headOnBadCommand: true, replaced: true, running: true, afterRepair: Status.SUCCESS, headAtTail: true });
    expect(driver.statistics()).toMatchObject({ commandQueueRestarts: 1, invalidationTimeouts: 0 });
    expect(result.log.some((line) => line.includes("ILLEGAL_COMMAND_ERROR"))).toBe(true);
    expect(result.log.some((line) => /SMMU: amd-vi@0xfed80000 Bad Command at 0x[0-9a-f]+/.test(line))).toBe(true);
  });

  it("a burst of faults between two ticks overflows the log; the handler drains it and restarts logging", async () => {
    const record: Record<string, number | boolean> = {};
    const { driver } = await bootIommuKernel({
      durationMs: 20,
      rootTask: async (api, { kernel, driver: running }) => {
        const hardware = running.units[0]!.hardware;
        const fault = () => kernel.hooks.dma.call({ sbdf: SMBUS_BDF, address: IOVA_PAGE << 12n, length: 8, write: true });
        for (let i = 0; i < 300; i++) fault();
        record["overflowed"] = (hardware.mmioRead64(MmioRegister.STATUS) & StatusBit.EVENT_OVERFLOW) !== 0n;
        record["droppedInBurst"] = running.statistics().eventsDropped;
        await api.compute(LET_TICKS_HAPPEN_NS);
        record["loggedAfterTick"] = running.statistics().eventsLogged;
        record["overflowCleared"] = (hardware.mmioRead64(MmioRegister.STATUS) & StatusBit.EVENT_OVERFLOW) === 0n;
        for (let i = 0; i < 10; i++) fault();
        await api.compute(LET_TICKS_HAPPEN_NS);
        record["loggedAtEnd"] = running.statistics().eventsLogged;
      },
    });
    expect(record).toEqual({
      overflowed: true,
      droppedInBurst: 300 - LOG_CAPACITY,
      loggedAfterTick: LOG_CAPACITY,
      overflowCleared: true,
      loggedAtEnd: LOG_CAPACITY + 10,
    });
    // every aborted request is either in the log or counted as dropped
    const stats = driver.statistics();
    expect(stats).toMatchObject({ faults: 310, eventsLogged: 265, eventsDropped: 45, overflowRestarts: 1 });
    expect(stats.eventsLogged + stats.eventsDropped).toBe(stats.faults);
  });
});
