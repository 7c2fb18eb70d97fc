import { describe, expect, it } from "vitest";
import { MemoryCapabilityPermission, type DmaResult, type FaultEvent } from "@novakit/kernel-core";
import { AHCI_BDF, bootIommuKernel, RootDma, SMBUS_BDF, type IommuTestKernelOptions } from "./test-support/iommu-test-kernel.js";

const FRAME_A = 0x18000n;
const FRAME_B = 0x18100n;
const IOVA_PAGE = 0x40000n;
const IOVA = IOVA_PAGE << 12n;
/** 00:01.0 (VGA): the second device of these tests */
const VGA_BDF = 0x0008;
/** a CPU's worth of simulated time: timer ticks deliver the SMMU interrupt */
const LET_TICKS_HAPPEN_NS = 3_000_000;

interface Scenario {
  readonly dma: Record<string, DmaResult | undefined>;
  readonly faults: FaultEvent[];
  /** events the handler consumed before shutdown (delivered by a tick) */
  eventsBeforeShutdown: number;
}

/** two DMA spaces, AHCI -> A (one read-only page), VGA -> B, SMBus unassigned; a few DMAs */
async function faultScenario(options: Partial<IommuTestKernelOptions> = {}) {
  const scenario: Scenario = { dma: {}, faults: [], eventsBeforeShutdown: -1 };
  const booted = await bootIommuKernel({
    ...options,
    beforeBoot: (kernel) => kernel.hooks.fault.tap("test", (event) => void scenario.faults.push(event)),
    rootTask: async (api, { kernel, driver }) => {
      const dma = new RootDma(api);
      await dma.takeNovaHost();
      const a = await dma.dmaSpace();
      const b = await dma.dmaSpace();
      await dma.map(a, FRAME_A, IOVA_PAGE, 4);
      await dma.map(a, FRAME_A + 0x10n, IOVA_PAGE + 0x10n, 0, MemoryCapabilityPermission.R);
      await dma.map(b, FRAME_B, IOVA_PAGE, 4);
      await dma.assign(a, AHCI_BDF);
      await dma.assign(b, VGA_BDF);
      const device = (name: string, bdf: number, address: bigint, write: boolean, length = 8) => {
        scenario.dma[name] = kernel.hooks.dma.call({ sbdf: bdf, address, length, write });
      };
      device("ownWrite", AHCI_BDF, IOVA + 0x10n, true);
      device("otherOwnRead", VGA_BDF, IOVA, false);
      device("readOnlyWrite", AHCI_BDF, IOVA + 0x10_000n, true);
      device("otherDomainRead", AHCI_BDF, FRAME_B << 12n, false);
      device("unassigned", SMBUS_BDF, IOVA, false);
      device("crossesPage", AHCI_BDF, IOVA + 0xffcn, false);
      await api.compute(LET_TICKS_HAPPEN_NS);
      scenario.eventsBeforeShutdown = driver.statistics().eventsLogged;
    },
  });
  return { ...booted, scenario };
}

describe("device DMA through the plugin (dma hook) and fault logging (nova.md §4.7)", () => {
  it("reaches the device's own memory, aborts elsewhere, logs and publishes every event", async () => {
    const { kernel, result, driver, scenario } = await faultScenario();
    expect(scenario.dma["ownWrite"]).toEqual({ ok: true, physicalAddress: (FRAME_A << 12n) + 0x10n });
    expect(scenario.dma["otherOwnRead"]).toEqual({ ok: true, physicalAddress: FRAME_B << 12n });
    expect(scenario.dma["readOnlyWrite"]).toMatchObject({ ok: false, reason: expect.stringContaining("PERMISSION") });
    expect(scenario.dma["otherDomainRead"]).toMatchObject({ ok: false, reason: expect.stringContaining("NOT_PRESENT") });
    expect(scenario.dma["unassigned"]).toMatchObject({ ok: false, reason: expect.stringContaining("DMA_BLOCKED") });
    expect(scenario.dma["crossesPage"]).toMatchObject({ ok: false, reason: expect.stringContaining("4 KiB") });

    // the interrupt arrived with a timer tick, before shutdown
    expect(scenario.eventsBeforeShutdown).toBe(3);
    expect(driver.statistics()).toMatchObject({ eventsLogged: 3, faults: 3, eventsDropped: 0 });
    const rootPd = result.log.find((line) => line.includes("ROOT: PD"))?.match(/ROOT: PD (\d+)/)?.[1];
    expect(scenario.faults).toEqual([
      expect.objectContaining({ kind: "dma", device: "0000:00:1f.2", domain: `PD ${rootPd}`, address: IOVA + 0x10_000n, access: "write", detail: expect.stringContaining("flags PR|RW|PE") }),
      expect.objectContaining({ kind: "dma", device: "0000:00:1f.2", domain: `PD ${rootPd}`, address: FRAME_B << 12n, access: "read", detail: expect.stringContaining("flags -") }),
      expect.objectContaining({ kind: "dma", device: "0000:00:1f.3", address: IOVA, access: "read" }),
    ]);
    expect(scenario.faults[2]?.domain).toBeUndefined();
    const lines = result.log.filter((line) => line.includes("IO_PAGE_FAULT"));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`SMMU: amd-vi@0xfed80000 IO_PAGE_FAULT dev 0000:00:1f.2 domain 1 (PD ${rootPd}) address 0x40010000 write flags PR|RW|PE`);
    expect(lines[2]).toContain("IO_PAGE_FAULT dev 0000:00:1f.3 domain 0 address 0x40000000 read");
    expect(result.log.some((line) => line.includes("SMMU: 1 unit(s), 3 DMA fault(s), 3 event(s) logged, 0 dropped"))).toBe(true);
    // the same counters reach tools through the `report` hook
    expect(result.pluginReports["@novakit/iommu-amd"]).toMatchObject({ units: 1, faults: 3, eventsLogged: 3, eventsDropped: 0 });

    // a device's malformed request is aborted, never thrown; a segment without an IOMMU is untranslated
    const bad = [
      { sbdf: -1, address: 0n, length: 8, write: false },
      { sbdf: AHCI_BDF, address: -5n, length: 8, write: false },
      { sbdf: AHCI_BDF, address: 1n << 64n, length: 8, write: true },
      { sbdf: AHCI_BDF, address: IOVA, length: 0, write: true },
      { sbdf: AHCI_BDF, address: IOVA, length: 4097, write: true },
      { sbdf: AHCI_BDF, address: IOVA, length: 1.5, write: true },
    ];
    for (const request of bad) expect(kernel.hooks.dma.call(request)).toMatchObject({ ok: false });
    expect(kernel.hooks.dma.call({ sbdf: (1 << 16) | AHCI_BDF, address: IOVA, length: 8, write: false })).toBeUndefined();
  });

  it("with faultLog off consumes the events silently: nothing printed, nothing published", async () => {
    const { result, driver, scenario } = await faultScenario({ pluginOptions: { faultLog: false } });
    expect(scenario.dma["readOnlyWrite"]).toMatchObject({ ok: false });
    expect(scenario.faults).toEqual([]);
    expect(result.log.some((line) => line.includes("IO_PAGE_FAULT"))).toBe(false);
    expect(driver.statistics()).toMatchObject({ eventsLogged: 3, faults: 3 });
  });
});
