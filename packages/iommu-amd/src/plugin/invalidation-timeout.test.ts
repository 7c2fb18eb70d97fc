import { describe, expect, it } from "vitest";
import { Status } from "@novakit/kernel-core";
import { MmioRegister } from "./mmio-registers.js";
import { AHCI_BDF, bootIommuKernel, RootDma } from "./test-support/iommu-test-kernel.js";

/** page numbers: the frames behind two DMA spaces and the IOVA page both map them at */
const FRAME_A = 0x18000n;
const FRAME_B = 0x18100n;
/** 2 MiB aligned, for a superpage leaf */
const FRAME_C = 0x18200n;
const IOVA_PAGE = 0x40000n;
/** what NOVA's init submits on q35's unit (no IASup): 65536 DEVTAB + 65536 PAGES + 517 COMPLETION_WAITs */
const INIT_COMMANDS = 2 * 65536 + Math.ceil((2 * 65536) / 254);
/** the first assignment: DEVTAB + COMPLETION_WAIT */
const FIRST_ASSIGNMENT_COMMANDS = 2;

describe("IOMMU invalidation timeouts (fault mode faultInjection.stallCommandsAfter)", () => {
  it("assign_dev answers TIMEOUT, keeps the old domain, and a retry after the unit recovers invalidates and succeeds", async () => {
    const record: Record<string, unknown> = {};
    const { driver } = await bootIommuKernel({
      pluginOptions: { faultInjection: { stallCommandsAfter: INIT_COMMANDS + FIRST_ASSIGNMENT_COMMANDS } },
      rootTask: async (api, { kernel, driver: running }) => {
        const memory = kernel.services.physicalMemory;
        const unit = running.units[0]!;
        const hardware = unit.hardware;
        const entry = unit.deviceTable.entryAddress(AHCI_BDF);
        const dmaSpaces = () => kernel.memorySpaces().filter((view) => view.kind === "DMA");
        const references = (index: number) => kernel.internals.state?.objects.get(dmaSpaces()[index]!.id)?.referenceCount ?? -1;
        const read = () => kernel.hooks.dma.call({ sbdf: AHCI_BDF, address: IOVA_PAGE << 12n, length: 8, write: false });
        const dma = new RootDma(api);
        await dma.takeNovaHost();
        const a = await dma.dmaSpace();
        const b = await dma.dmaSpace();
        await dma.map(a, FRAME_A, IOVA_PAGE, 0);
        await dma.map(b, FRAME_B, IOVA_PAGE, 0);
        record["assignA"] = await dma.assign(a, AHCI_BDF);
        const aAssigned = references(0);
        const bBefore = references(1);
        // the device's DTE is cached now: its DMA reaches frame A
        record["readA"] = read();
        // the unit's command processor stops here: DEVTAB + PAGES(A) + COMPLETION_WAIT never run
        record["moveToB"] = await dma.assign(b, AHCI_BDF);
        record["stalled"] = hardware.stallCommands;
        record["dteHoldsB"] = (memory.read64(entry) & 0x000f_ffff_ffff_f000n) === dmaSpaces()[1]!.table.rootAddress;
        // A is not released early: the unit may still use A's cached DTE and IOTLB entries
        record["aKeptWhileStalled"] = references(0) === aAssigned;
        record["bTaken"] = references(1) === bBefore + 1;
        record["headBehindTail"] = hardware.mmioRead64(MmioRegister.CMD_HEAD) !== hardware.mmioRead64(MmioRegister.CMD_TAIL);
        // the unit recovers: it works off the queued commands
        hardware.stallCommands = false;
        const processed = () => (hardware.stats?.() as unknown as { commandsProcessed: number }).commandsProcessed;
        const beforeRetry = processed();
        record["retry"] = await dma.assign(b, AHCI_BDF);
        // the retry repeats DEVTAB + PAGES(A) + COMPLETION_WAIT although the space did not change
        record["retryCommands"] = processed() - beforeRetry;
        record["aReleased"] = references(0) === aAssigned - 1;
        record["bHeldOnce"] = references(1) === bBefore + 1;
        record["readB"] = read();
        record["headAtTail"] = hardware.mmioRead64(MmioRegister.CMD_HEAD) === hardware.mmioRead64(MmioRegister.CMD_TAIL);
      },
    });
    expect(record).toEqual({
      assignA: Status.SUCCESS,
      readA: { ok: true, physicalAddress: FRAME_A << 12n },
      moveToB: Status.TIMEOUT,
      stalled: true,
      dteHoldsB: true,
      aKeptWhileStalled: true,
      bTaken: true,
      headBehindTail: true,
      retry: Status.SUCCESS,
      retryCommands: 3,
      aReleased: true,
      bHeldOnce: true,
      readB: { ok: true, physicalAddress: FRAME_B << 12n },
      headAtTail: true,
    });
    expect(driver.statistics()).toMatchObject({ invalidationTimeouts: 1, assignments: 3 });
  });

  it("a DMA-space update whose invalidation timed out keeps the replaced page tables quarantined until an invalidation completes", async () => {
    const record: Record<string, unknown> = {};
    const { result, driver } = await bootIommuKernel({
      rootTask: async (api, { kernel, driver: running }) => {
        const state = kernel.internals.state!;
        const hardware = running.units[0]!.hardware;
        const table = () => kernel.memorySpaces().filter((view) => view.kind === "DMA")[0]!.table as unknown as { waitlistedCount(): number };
        const dma = new RootDma(api);
        await dma.takeNovaHost();
        const a = await dma.dmaSpace();
        // a 4 KiB page: the walk down to it allocates a level-1 table
        await dma.map(a, FRAME_A, IOVA_PAGE, 0);
        record["assign"] = await dma.assign(a, AHCI_BDF);
        const freeBefore = state.frames.freeCount();
        hardware.stallCommands = true;
        // a 2 MiB leaf over the same range replaces the level-1 table (waitlisted until the flush)
        record["superpage"] = await dma.map(a, FRAME_A, IOVA_PAGE, 9);
        record["quarantinedTables"] = table().waitlistedCount();
        record["framesKept"] = state.frames.freeCount() === freeBefore;
        record["quarantinedBlocks"] = running.statistics().quarantinedBlocks;
        // a later delegation that needs no invalidation does not free them either
        await dma.map(a, FRAME_C, IOVA_PAGE + 0x200n, 9);
        record["stillQuarantined"] = table().waitlistedCount();
        hardware.stallCommands = false;
        const beforeRelease = state.frames.freeCount();
        // an invalidation of the space that completes (the unit ran the stalled one before it) releases them
        record["overwrite"] = await dma.map(a, FRAME_C, IOVA_PAGE, 9);
        record["released"] = state.frames.freeCount() - beforeRelease;
        record["waitlistAfter"] = table().waitlistedCount();
        record["readAfter"] = kernel.hooks.dma.call({ sbdf: AHCI_BDF, address: IOVA_PAGE << 12n, length: 8, write: false });
      },
    });
    expect(record).toEqual({
      assign: Status.SUCCESS,
      superpage: Status.SUCCESS,
      quarantinedTables: 1,
      framesKept: true,
      quarantinedBlocks: 1,
      stillQuarantined: 1,
      overwrite: Status.SUCCESS,
      released: 1,
      waitlistAfter: 0,
      readAfter: { ok: true, physicalAddress: FRAME_C << 12n },
    });
    expect(driver.statistics().invalidationTimeouts).toBe(1);
    expect(result.log.some((line) => line.includes("timed out (Faulty HW?); its page tables stay quarantined"))).toBe(true);
  });

  it("refuses a negative stall count as a plugin option error", async () => {
    await expect(bootIommuKernel({ pluginOptions: { faultInjection: { stallCommandsAfter: -1 } } })).rejects.toThrow(/stallCommandsAfter/);
  });
});
