import { describe, expect, it } from "vitest";
import { Status } from "@novakit/kernel-core";
import { DPT_IR, DPT_IW } from "../dpt/amd-dpt-bits.js";
import { MmioRegister } from "./mmio-registers.js";
import { AHCI_BDF, bootIommuKernel, Q35_IOMMU_BASE, RootDma, SMBUS_BDF } from "./test-support/iommu-test-kernel.js";

/** page numbers: the frames behind two DMA spaces and the IOVA page both map them at */
const FRAME_A = 0x18000n;
const FRAME_B = 0x18100n;
const IOVA_PAGE = 0x40000n;
/** commands NOVA's init submits on a unit without IASup: 65536 DEVTAB + 65536 PAGES + 517 COMPLETION_WAITs */
const INIT_COMMANDS = 2 * 65536 + Math.ceil((2 * 65536) / 254);

describe("assign_dev (nova.md §4.6) on qemu-q35-amd-iommu", () => {
  it("binds, refuses and times out as NOVA does, with the CTE written and the references moved", async () => {
    const statuses: Record<string, number> = {};
    const dte: Record<string, readonly bigint[]> = {};
    const references: Record<string, number> = {};
    const commands: Record<string, number> = {};
    const sbw: Record<string, bigint> = {};
    const { kernel, driver } = await bootIommuKernel({
      rootTask: async (api, { kernel: booted, driver: running }) => {
        const memory = booted.services.physicalMemory;
        const unit = running.units[0]!;
        const entry = unit.deviceTable.entryAddress(AHCI_BDF);
        const readCte = () => [memory.read64(entry), memory.read64(entry + 8n)];
        const refcount = (index: number) => {
          const space = booted.memorySpaces().filter((view) => view.kind === "DMA")[index]!;
          return booted.internals.state?.objects.get(space.id)?.referenceCount ?? -1;
        };
        const dma = new RootDma(api);
        await dma.takeNovaHost();
        const a = await dma.dmaSpace();
        const b = await dma.dmaSpace();
        statuses["mapA"] = await dma.map(a, FRAME_A, IOVA_PAGE, 4);
        statuses["mapB"] = await dma.map(b, FRAME_B, IOVA_PAGE, 4);
        dte["before"] = readCte();
        const model = unit.hardware as unknown as { stats(): { commandsProcessed: number } };
        commands["init"] = model.stats().commandsProcessed;
        references["aBefore"] = refcount(0);
        statuses["assignA"] = await dma.assign(a, AHCI_BDF);
        commands["firstAssignment"] = model.stats().commandsProcessed - commands["init"]!;
        // the same space again: no invalidation (o == n), the references stay balanced
        statuses["again"] = await dma.assign(a, AHCI_BDF);
        commands["sameSpace"] = model.stats().commandsProcessed - commands["init"]! - commands["firstAssignment"]!;
        dte["assignedA"] = readCte();
        references["aAssigned"] = refcount(0);
        // NOVA returns the supported DMA address width: sbw = min(45, 9 * ptl) = 36 for ptl 4 (q35, HATS 0)
        sbw["first"] = (await api.assignDev(a, Q35_IOMMU_BASE, BigInt(AHCI_BDF))).results[0] ?? -1n;
        statuses["noUnit"] = await dma.assign(a, AHCI_BDF, 0xfee0_0000n);
        statuses["otherSegment"] = (await api.assignDev(a, Q35_IOMMU_BASE, (1n << 16n) | BigInt(AHCI_BDF))).status;
        statuses["badDad"] = (await api.assignDev(a, Q35_IOMMU_BASE, 1n << 32n)).status;
        // someone changed the entry behind the driver's back: its expectation is stale
        const saved = memory.read64(entry + 8n);
        memory.write64(entry + 8n, saved ^ 0x10n);
        statuses["stale"] = await dma.assign(b, AHCI_BDF);
        references["bAfterStale"] = refcount(1);
        memory.write64(entry + 8n, saved);
        const beforeMove = model.stats().commandsProcessed;
        statuses["moved"] = await dma.assign(b, AHCI_BDF);
        commands["move"] = model.stats().commandsProcessed - beforeMove;
        dte["movedB"] = readCte();
        references["aMoved"] = refcount(0);
        references["bMoved"] = refcount(1);
        unit.hardware.stallCommands = true;
        statuses["stalled"] = await dma.assign(a, SMBUS_BDF);
        unit.hardware.stallCommands = false;
      },
    });
    expect(sbw["first"]).toBe(36n);
    expect(statuses).toEqual({
      mapA: Status.SUCCESS,
      mapB: Status.SUCCESS,
      assignA: Status.SUCCESS,
      again: Status.SUCCESS,
      noUnit: Status.BAD_DEV,
      otherSegment: Status.BAD_DEV,
      badDad: Status.BAD_PAR,
      stale: Status.BAD_PAR,
      moved: Status.SUCCESS,
      stalled: Status.TIMEOUT,
    });
    const [spaceA, spaceB] = kernel.memorySpaces().filter((view) => view.kind === "DMA");
    // deny before; then DomainID << 64 | IR | IW | root | Mode 4 << 9 | TV | V (nova.md §4.3)
    expect(dte["before"]).toEqual([1n, 0n]);
    expect(dte["assignedA"]).toEqual([DPT_IR | DPT_IW | spaceA!.table.rootAddress | (4n << 9n) | 3n, 1n]);
    expect(dte["movedB"]).toEqual([DPT_IR | DPT_IW | spaceB!.table.rootAddress | (4n << 9n) | 3n, 2n]);
    // the device table holds a reference on the space; the old one is dropped after the move,
    // a refused assignment keeps none
    expect(references["aAssigned"]).toBe(references["aBefore"]! + 1);
    expect(references["aMoved"]).toBe(references["aBefore"]);
    expect(references["bAfterStale"]).toBe(references["bMoved"]! - 1);
    // init: every DeviceID and DomainID plus the COMPLETION_WAITs; DEVTAB+CW for the first
    // assignment, nothing for the same space again, DEVTAB+PAGES(old)+CW for the move
    expect(commands).toEqual({ init: INIT_COMMANDS, firstAssignment: 2, sameSpace: 0, move: 3 });
    // DEVTAB+CW for the first assignment, DEVTAB+PAGES(old)+CW for the move, DEVTAB+CW once the stall ended
    const hardware = driver.units[0]!.hardware;
    expect(hardware.stats?.()).toBeDefined();
    // the successful assignments, the sbw probe (the same space once more) among them; stalled timed out
    expect(driver.statistics()).toMatchObject({ units: 1, assignments: 5, invalidationTimeouts: 1 });
    expect(hardware.mmioRead64(MmioRegister.CMD_HEAD)).toBe(hardware.mmioRead64(MmioRegister.CMD_TAIL));
  });

  it("answers BAD_HYP to a PD other than the root (the kernel's check, before the plugin)", async () => {
    const { result } = await bootIommuKernel({
      domains: [{ name: "rogue", kind: "native", memoryMiB: 1, vcpus: 1, priority: 10, budgetMs: 1, workload: "assign-dev-probe" }],
      workloads: [
        {
          name: "assign-dev-probe",
          description: "calls assign_dev from a non-root PD",
          async run(api, instance) {
            instance.report("status", (await api.assignDev(0, Q35_IOMMU_BASE, BigInt(AHCI_BDF))).status);
          },
        },
      ],
    });
    expect(result.domains[0]?.results["status"]).toBe(Status.BAD_HYP);
  });
});
