import { describe, expect, it } from "vitest";
import { iommuAmdPlugin, iommuAmdOptionsSchema } from "./index.js";
import { ControlBit, MmioRegister, StatusBit } from "./plugin/mmio-registers.js";
import { AHCI_BDF, bootIommuKernel, SMBUS_BDF } from "./plugin/test-support/iommu-test-kernel.js";

const domains = [
  { name: "tenant-a", kind: "native" as const, memoryMiB: 4, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop", devices: ["00:1f.2"] },
  { name: "tenant-b", kind: "native" as const, memoryMiB: 2, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop", devices: ["00:1f.3"] },
];

describe("@novakit/iommu-amd plugin", () => {
  // one boot of two tenants serves the register, deny and reach checks (a boot runs NOVA's full init)
  let tenants: ReturnType<typeof bootIommuKernel> | undefined;
  const bootTenants = () => (tenants ??= bootIommuKernel({ domains }));

  it("declares itself: AMD x86_64 IOMMU plugin with faultLog on by default", () => {
    expect(iommuAmdPlugin.name).toBe("@novakit/iommu-amd");
    expect(iommuAmdPlugin.kind).toBe("iommu");
    expect(iommuAmdPlugin.constraints).toEqual({ arch: ["x86_64"], vendor: ["amd"] });
    expect(iommuAmdOptionsSchema.parse(undefined)).toEqual({ faultLog: true });
    expect(iommuAmdOptionsSchema.parse({ faultLog: false, iotlbCapacity: 64 })).toEqual({ faultLog: false, iotlbCapacity: 64 });
    expect(() => iommuAmdOptionsSchema.parse({ faultlog: true })).toThrow();
  });

  it("boots qemu-q35-amd-iommu: IVHD -> platform.iommus, init registers, every other device denied", async () => {
    const { kernel, result, driver } = await bootTenants();
    expect(result.platform.iommus).toEqual([
      { kind: "amd-vi", baseAddress: 0xfed80000n, segment: 0, deviceId: 0x10, source: "IVRS IVHD type 0x10 (selected #0)" },
    ]);
    expect(driver.pageTableLevels).toBe(4);
    const unit = driver.units[0]!;
    const hardware = unit.hardware;
    expect(hardware.mmioRead64(MmioRegister.DEV_TBL_BASE)).toBe(unit.deviceTable.base | 0x1ffn);
    expect(hardware.mmioRead64(MmioRegister.CMD_BUF_BASE)).toBe((8n << 56n) | unit.queue.base);
    expect(hardware.mmioRead64(MmioRegister.EVT_LOG_BASE)).toBe((8n << 56n) | unit.eventLog.base);
    expect(hardware.mmioRead64(MmioRegister.EXCL_BASE)).toBe(0n);
    // IVHD 10h: no EFR, so no GASup (noir), no XTSup (MSI), no IASup
    expect(hardware.mmioRead64(MmioRegister.CONTROL)).toBe(
      ControlBit.CMD_BUF_EN | ControlBit.COHERENT | ControlBit.EVENT_INT_EN | ControlBit.EVENT_LOG_EN | ControlBit.IOMMU_EN,
    );
    expect(hardware.mmioRead64(MmioRegister.STATUS) & (StatusBit.CMD_BUF_RUN | StatusBit.EVENT_LOG_RUN)).toBe(StatusBit.CMD_BUF_RUN | StatusBit.EVENT_LOG_RUN);
    expect(result.log).toContain("[ 0] SMMU: 0xfed80000 0000:00:02.0 IVHD 10h EFR 0x0:0x0 HATS 0 ptl 4 noir MSI DT 0x200000 inv DEVTAB+PAGES");

    // every DeviceID but the two assigned: translation half deny (V=1 TV=0); interrupt half 0 (noir)
    const memory = kernel.services.physicalMemory;
    let denied = 0;
    for (let bdf = 0; bdf < 0x10000; bdf++) {
      const at = unit.deviceTable.entryAddress(bdf);
      const cte = [memory.read64(at), memory.read64(at + 8n)];
      if (bdf === AHCI_BDF || bdf === SMBUS_BDF) {
        expect(cte[0] & 3n).toBe(3n);
        continue;
      }
      if (cte[0] === 1n && cte[1] === 0n && memory.read64(at + 16n) === 0n && memory.read64(at + 24n) === 0n) denied++;
    }
    expect(denied).toBe(0x10000 - 2);
    expect(result.domains.map((domain) => domain.results["dmaIsolated"])).toEqual([true, true]);
  });

  it("reports what each device can reach from the real tables (dmaReach)", async () => {
    const { kernel } = await bootTenants();
    const report = kernel.hooks.dmaReach.call({ devices: [AHCI_BDF, SMBUS_BDF, 0x0008, (1 << 16) | 0x0008] });
    expect(report).toBeDefined();
    const [a, b, unassigned, otherSegment] = report!.devices;
    expect(a).toMatchObject({ sbdf: AHCI_BDF, iommu: "amd-vi@0xfed80000", mode: "translated" });
    expect(b).toMatchObject({ sbdf: SMBUS_BDF, mode: "translated" });
    expect(unassigned).toEqual({ sbdf: 0x0008, iommu: "amd-vi@0xfed80000", mode: "blocked", ranges: [] });
    expect(otherSegment).toEqual({ sbdf: (1 << 16) | 0x0008, mode: "passthrough", ranges: [] });
    const total = (ranges: readonly { size: bigint }[]) => ranges.reduce((sum, range) => sum + range.size, 0n);
    expect(total(a!.ranges)).toBe(4n << 20n);
    expect(total(b!.ranges)).toBe(2n << 20n);
    for (const range of [...a!.ranges, ...b!.ranges]) expect(range).toMatchObject({ read: true, write: true });
    expect(a!.ranges[0]!.iova).toBe(0x4000_0000n);
    // the two tenants' frames do not overlap
    for (const left of a!.ranges) {
      for (const right of b!.ranges) {
        const disjoint = left.physicalAddress + left.size <= right.physicalAddress || right.physicalAddress + right.size <= left.physicalAddress;
        expect(disjoint).toBe(true);
      }
    }
    // each range is what the device's DMA really reaches
    const probe = a!.ranges[0]!;
    expect(kernel.hooks.dma.call({ sbdf: AHCI_BDF, address: probe.iova + 0x2000n, length: 4, write: false })).toEqual({ ok: true, physicalAddress: probe.physicalAddress + 0x2000n });
    const spaces = kernel.memorySpaces().filter((view) => view.kind === "DMA").map((view) => view.id);
    expect(spaces).toContain(a!.spaceId);
    expect(spaces).toContain(b!.spaceId);
  });

  it("with nosmmu: the plugin loads, init is skipped, DMA is not remapped and the root task says so", async () => {
    const { result, driver, kernel } = await bootIommuKernel({ domains: [domains[0]!], cmdline: "nosmmu" });
    expect(driver.enabled).toBe(false);
    expect(driver.units).toHaveLength(0);
    expect(result.log.some((line) => line.includes("SMMU: nosmmu: DMA remapping is off"))).toBe(true);
    expect(result.log.some((line) => line.includes("NOT isolated"))).toBe(true);
    expect(result.domains[0]?.results["dmaIsolated"]).toBe(false);
    expect(kernel.hooks.dma.call({ sbdf: AHCI_BDF, address: 0x1000n, length: 8, write: false })).toBeUndefined();
    expect(kernel.hooks.dmaReach.call({ devices: [AHCI_BDF] })).toBeUndefined();
  });
});
