import { createKernel, type BootResult, type DomainConfig, type NovakitConfig } from "@novakit/kernel-core";
// test only: the scheduler is not a dependency of this package (the CLI composes the two)
import { schedulerPlugin } from "@novakit/scheduler";
import { describe, expect, it } from "vitest";
import { archAarch64Plugin } from "./plugin.js";

const domains: readonly DomainConfig[] = [
  { name: "busy", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [1], priority: 10, budgetMs: 2, workload: "busy-loop" },
  { name: "srv", kind: "native", memoryMiB: 2, vcpus: 1, cpus: [1], priority: 10, budgetMs: 2, workload: "ipc-server" },
  { name: "cli", kind: "native", memoryMiB: 2, vcpus: 1, cpus: [1], priority: 10, budgetMs: 2, workload: "ipc-client", workloadOptions: { server: "srv", thinkNs: 5_000 } },
];

function config(platform: string, seed = 7): NovakitConfig {
  return { name: `aarch64-${platform}`, arch: "aarch64", platform, seed, durationMs: 40, domains };
}

async function boot(platform = "qemu-virt-gicv3", seed = 7, domainList: readonly DomainConfig[] = domains): Promise<BootResult> {
  const kernel = createKernel({
    config: { ...config(platform, seed), domains: domainList },
    plugins: [
      { plugin: archAarch64Plugin, options: {}, source: "test: arch" },
      { plugin: schedulerPlugin, options: {}, source: "test: scheduler" },
    ],
    configDir: ".",
  });
  return kernel.boot();
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe("booting AArch64 through createKernel with the scheduler", () => {
  it("runs both native domains with fair shares and IPC round trips on QEMU virt GICv3", async () => {
    const result = await boot();
    expect(result.platform.arch).toBe("aarch64");
    const byName = new Map(result.domains.map((domain) => [domain.name, domain]));
    const busy = byName.get("busy")!;
    const client = byName.get("cli")!;
    const server = byName.get("srv")!;
    // both domains ran
    expect(sum(busy.scUsedNs)).toBeGreaterThan(0);
    expect(client.results["roundTrips"]).toBeGreaterThan(100);
    expect(client.results["errors"]).toBeUndefined();
    expect(client.results["badEchoes"]).toBeUndefined();
    expect(server.results["served"]).toBe(client.results["roundTrips"]);
    expect(result.stats.ipcCalls).toBe(client.results["roundTrips"]);
    // equal priority and budget on one CPU: round robin gives each side a fair share
    const busyNs = sum(busy.scUsedNs);
    const ipcNs = sum(client.scUsedNs) + sum(server.scUsedNs);
    const share = busyNs / (busyNs + ipcNs);
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    // PSCI brought the secondaries up; the boot CPU reports ALREADY_ON
    expect(result.log.filter((line) => line.includes("PSCI: CPU_ON"))).toHaveLength(4);
    expect(result.log.some((line) => line.includes("PSCI: CPU_ON mpidr 0x1 -> SUCCESS"))).toBe(true);
    expect(result.log.some((line) => line.includes("PSCI: CPU_ON mpidr 0x0 -> ALREADY_ON (boot CPU)"))).toBe(true);
    expect(result.log.some((line) => line.includes("PAGING: VMSAv8-64 stage-1 EL2 48-bit VA"))).toBe(true);
    expect(result.plugins.map((plugin) => plugin.name)).toEqual(["@novakit/arch-aarch64", "@novakit/scheduler"]);
  });

  it("is deterministic: same seed, byte-identical log; another seed, another log", async () => {
    const first = await boot("qemu-virt-gicv2", 3);
    const second = await boot("qemu-virt-gicv2", 3);
    expect(second.log).toEqual(first.log);
    expect(second.domains).toEqual(first.domains);
    const other = await boot("qemu-virt-gicv2", 4);
    expect(other.log).not.toEqual(first.log);
  });

  it("boots the SMMUv3 platform without EL2 (no guest stage 2)", async () => {
    const result = await boot("qemu-virt-gicv3-smmuv3");
    expect(result.platform.iommus).toEqual([{ kind: "arm-smmu-v3", baseAddress: 0x905_0000n, segment: 0, source: "FDT /smmuv3@9050000" }]);
    expect(result.log.some((line) => line.includes("no EL2: no guest stage 2"))).toBe(true);
    expect(result.domains.find((domain) => domain.name === "cli")?.results["roundTrips"]).toBeGreaterThan(100);
  });

  it("runs a VM domain in a stage-2 guest space with EL2, and refuses one without EL2", async () => {
    const vm: DomainConfig = { name: "guest", kind: "vm", memoryMiB: 8, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 2, workload: "busy-loop" };
    const result = await boot("qemu-virt-gicv3", 7, [vm]);
    expect(result.domains[0]?.results["slices"]).toBeGreaterThan(0);
    await expect(boot("qemu-virt-gicv3-smmuv3", 7, [vm])).rejects.toMatchObject({ code: "NK-KRN-217" });
  });
});
