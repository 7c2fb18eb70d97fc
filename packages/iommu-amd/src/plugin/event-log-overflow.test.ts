import { describe, expect, it } from "vitest";
import { archX86_64Plugin } from "@novakit/arch-x86_64";
import { createKernel, definePlugin, testSchedulerPlugin, type BootResult, type WorkloadDefinition } from "@novakit/kernel-core";
import type { AmdIommuDriver } from "./amd-iommu-driver.js";
import { createIommuAmdPlugin } from "../plugin.js";

/** bytes per burst: 512 page transactions, each aborted and logged as an IO_PAGE_FAULT */
const BURST_BYTES = 2 * 1024 * 1024;
const BURSTS = 4;
/** an IOVA far outside the intruder's DMA window (nothing is mapped there) */
const UNMAPPED_IOVA = 0x7f00_0000_0000n;

/**
 * A compromised driver programs its accelerator for one 2 MiB read at an unmapped IOVA: the DMA
 * engine splits it into 512 page transactions, all aborted and logged between two SMMU interrupts
 * (the handler runs on ticks), twice what a 256-entry event log holds. Then it waits, reads its
 * own memory (which must still work) and bursts again.
 */
const dmaFlood: WorkloadDefinition = {
  name: "dma-flood",
  description: "bursts of DMA at an unmapped IOVA (event-log overflow test)",
  async run(api, instance) {
    const device = api.device("00:04.0");
    const own = api.domainMemory();
    for (let burst = 0; burst < BURSTS; burst++) {
      const flood = await device.dma(UNMAPPED_IOVA + BigInt(burst) * BigInt(BURST_BYTES), BURST_BYTES, false);
      // numeric reports add up: one per burst
      instance.report("floodAborted", flood.aborted);
      instance.report("ownReads", own !== undefined && (await device.dma(own.base, 64, false)).aborted === 0 ? 1 : 0);
      await api.compute(1_000_000);
    }
  },
};

const floodWorkloads = definePlugin({
  name: "@novakit/iommu-amd-test-flood",
  version: "0.0.0-test",
  kind: "extension",
  register(context) {
    context.registerWorkload(dmaFlood);
  },
});

async function floodBoot(pluginOptions: unknown): Promise<{ result: BootResult; driver: AmdIommuDriver }> {
  let driver: AmdIommuDriver | undefined;
  const plugin = createIommuAmdPlugin({ onDriver: (created) => (driver = created) });
  const kernel = createKernel({
    config: {
      name: "event-log-flood",
      arch: "x86_64",
      platform: "qemu-q35-amd-iommu-ai-host",
      seed: 3,
      durationMs: 20,
      domains: [
        { name: "victim", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 10, budgetMs: 5, workload: "busy-loop" },
        { name: "intruder", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [1], priority: 10, budgetMs: 5, devices: ["00:04.0"], workload: "dma-flood" },
      ],
    },
    plugins: [
      { plugin: archX86_64Plugin, source: "test: arch" },
      { plugin: testSchedulerPlugin(), source: "test: scheduler" },
      { plugin: floodWorkloads, source: "test: workloads" },
      { plugin, options: pluginOptions, source: "test: iommu" },
    ],
    configDir: ".",
  });
  const result = await kernel.boot();
  if (driver === undefined) throw new Error("the plugin did not register a driver");
  return { result, driver };
}

const OVERFLOW_LINE = /SMMU: \S+ event log overflowed \((\d+) events? dropped\), restarted/;

describe("event-log overflow under a fault flood (reference/amd-iommu.md §6.1, nova.md §4.7)", () => {
  it("sets EVT_OVR, drops and counts events, reports the overflow, restarts the log and logs later faults again; DMA stays aborted", async () => {
    const { result, driver } = await floodBoot({ faultLog: true, eventLogEntries: 256 });
    const stats = driver.statistics();
    const intruder = result.domains.find((domain) => domain.name === "intruder")!.results;
    // every flood transaction was aborted, overflow or not; the device's own memory stayed reachable
    expect(intruder["floodAborted"]).toBe(BURSTS * (BURST_BYTES / 4096));
    expect(intruder["ownReads"]).toBe(BURSTS);
    expect(stats.faults).toBe(BURSTS * (BURST_BYTES / 4096));
    // the log overflowed and was restarted; what it could not hold is counted, nothing is lost unaccounted
    expect(stats.overflowRestarts).toBeGreaterThan(0);
    expect(stats.eventsDropped).toBeGreaterThan(0);
    expect(stats.eventsLogged + stats.eventsDropped).toBe(stats.faults);
    // the boot log and the fault hook say so, with the number lost at each restart
    const overflowLines = result.log.filter((line) => OVERFLOW_LINE.test(line));
    expect(overflowLines).toHaveLength(stats.overflowRestarts);
    const droppedInLines = overflowLines.reduce((sum, line) => sum + Number(OVERFLOW_LINE.exec(line)?.[1]), 0);
    expect(droppedInLines).toBeLessThanOrEqual(stats.eventsDropped);
    expect(droppedInLines).toBeGreaterThan(0);
    expect(result.faults.filter((fault) => OVERFLOW_LINE.test(fault.detail))).toHaveLength(stats.overflowRestarts);
    expect(result.pluginReports["@novakit/iommu-amd"]).toMatchObject({ overflowRestarts: stats.overflowRestarts, eventsDropped: stats.eventsDropped });
    // after the first restart the unit logs again: IO_PAGE_FAULT lines follow the overflow line
    const firstOverflow = result.log.findIndex((line) => OVERFLOW_LINE.test(line));
    expect(result.log.slice(firstOverflow + 1).some((line) => line.includes("IO_PAGE_FAULT"))).toBe(true);
  });

  it("a longer log (eventLogEntries 4096) overflows less often under the same flood", async () => {
    const small = (await floodBoot({ faultLog: true, eventLogEntries: 256 })).driver.statistics();
    const large = (await floodBoot({ faultLog: true, eventLogEntries: 4096 })).driver.statistics();
    expect(large.faults).toBe(small.faults);
    expect(large.eventsDropped).toBeLessThan(small.eventsDropped);
  });

  it("refuses an event log length the hardware cannot have", async () => {
    await expect(floodBoot({ eventLogEntries: 100 })).rejects.toThrow(/eventLogEntries|power of two/);
  });
});
