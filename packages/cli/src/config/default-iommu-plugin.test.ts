import { describe, expect, it } from "vitest";
import { createTestPlatform, type NovakitConfig, type Platform } from "@novakit/kernel-core";
import { collectDiagnostics, untranslatedDmaWarnings } from "../commands/check.js";
import { DEFAULT_IOMMU_PLUGIN, needsAmdIommu } from "./default-iommu-plugin.js";
import { prepareFromSource } from "./prepare-configuration.js";

const q35 = (extra: Partial<NovakitConfig> = {}): NovakitConfig => ({
  name: "dma",
  arch: "x86_64",
  platform: "qemu-q35-amd-iommu",
  domains: [{ name: "storage", kind: "native", memoryMiB: 2, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop", devices: ["00:1f.2"] }],
  ...extra,
});

async function pluginNames(config: NovakitConfig): Promise<string[]> {
  const prepared = await prepareFromSource({ value: config, label: "dma.json", dir: "." }, config);
  return prepared.requests.map((request) => request.plugin.name);
}

describe("AMD DMA remapping on by default (nova.md §4.1)", () => {
  it("adds @novakit/iommu-amd to an x86_64 configuration on an AMD platform with an IVRS", async () => {
    expect(await pluginNames(q35())).toContain(DEFAULT_IOMMU_PLUGIN);
    const prepared = await prepareFromSource({ value: q35(), label: "dma.json", dir: "." }, q35());
    expect(prepared.requests.find((request) => request.plugin.name === DEFAULT_IOMMU_PLUGIN)?.source).toBe("dma.json: plugins (default iommu plugin: AMD platform with IVRS)");
    expect(prepared.plugins.map((resolved) => resolved.plugin.name)).toEqual(["@novakit/arch-x86_64", DEFAULT_IOMMU_PLUGIN, "@novakit/scheduler"]);
  });

  it("keeps it out when the configuration opts out with enabled: false, and never doubles it", async () => {
    expect(await pluginNames(q35({ plugins: [{ name: DEFAULT_IOMMU_PLUGIN, enabled: false }] }))).not.toContain(DEFAULT_IOMMU_PLUGIN);
    expect((await pluginNames(q35({ plugins: [DEFAULT_IOMMU_PLUGIN] }))).filter((name) => name === DEFAULT_IOMMU_PLUGIN)).toHaveLength(1);
    // nosmmu is NOVA's switch: the plugin stays loaded and skips init
    expect(await pluginNames(q35({ cmdline: "nosmmu" }))).toContain(DEFAULT_IOMMU_PLUGIN);
  });

  it("applies to AMD CPUs with an IVRS table only", () => {
    const ivrs = { signature: "IVRS", address: 0n, length: 48, revision: 2, oemId: "", oemTableId: "", bytes: new Uint8Array(48) };
    const withTables = (platform: Platform, tables: Platform["firmware"]["tables"]): Platform => ({ ...platform, firmware: { ...platform.firmware, tables } });
    expect(needsAmdIommu(withTables(createTestPlatform({ vendor: "amd" }), [ivrs]))).toBe(true);
    expect(needsAmdIommu(withTables(createTestPlatform({ vendor: "amd" }), []))).toBe(false);
    expect(needsAmdIommu(withTables(createTestPlatform({ vendor: "intel" }), [ivrs]))).toBe(false);
    expect(needsAmdIommu(createTestPlatform({ arch: "aarch64" }))).toBe(false);
  });
});

describe("novakit check: DMA-capable devices no IOMMU will translate", () => {
  it("warns loudly with NK-IOMMU-306 under nosmmu, and not when the IOMMU is up", async () => {
    const warned = await collectDiagnostics({ value: q35({ cmdline: "nosmmu" }), label: "dma.json", dir: "." });
    expect(warned).toContainEqual({
      code: "NK-IOMMU-306",
      severity: "warning",
      message: expect.stringContaining('domain "storage" is given DMA-capable device 0000:00:1f.2 (ICH9 AHCI SATA controller), but the command line has "nosmmu"'),
      file: "dma.json",
      field: "domains[0].devices[0]",
      hint: 'remove "nosmmu" from cmdline to isolate device DMA',
    });
    const clean = await collectDiagnostics({ value: q35(), label: "dma.json", dir: "." });
    expect(clean.filter((diagnostic) => diagnostic.code === "NK-IOMMU-306")).toEqual([]);
  });

  it("warns when no IOMMU unit covers the device's segment", async () => {
    const prepared = await prepareFromSource({ value: q35(), label: "dma.json", dir: "." }, q35());
    const platform: Platform = {
      ...createTestPlatform({ vendor: "amd", pci: [{ segment: 0, bus: 0, device: 0x1f, function: 2, name: "AHCI", dmaCapable: true }] }),
      iommus: [],
    };
    expect(untranslatedDmaWarnings(q35(), "dma.json", platform, prepared.plugins)).toEqual([
      expect.objectContaining({ code: "NK-IOMMU-306", severity: "warning", field: "domains[0].devices[0]", message: expect.stringContaining("covers PCI segment 0") }),
    ]);
  });
});
