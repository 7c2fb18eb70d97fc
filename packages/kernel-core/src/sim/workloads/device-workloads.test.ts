import { describe, expect, it } from "vitest";
import type { DomainConfig } from "../../config/config-types.js";
import { bootTestKernel, createTestKernel } from "../../testkit/boot-test-kernel.js";
import type { DeviceHandle } from "../devices/device-api.js";
import { dmaCostNs } from "../devices/device-timing.js";
import { MMIO_WRITE_NS } from "../devices/domain-devices.js";
import { aiHostTestPlatform, tenantA, tenantB } from "../devices/test-support/ai-host-platform.js";
import { rangeDmaPlugin, tableIommuPlugin, type TableIommuLog } from "../devices/test-support/table-iommu-plugin.js";
import type { WorkloadDefinition } from "../workload.js";

const newLog = (): TableIommuLog => ({ translated: 0, aborted: 0, reasons: [] });

async function bootAiHost(options: { iommu: boolean; domains?: readonly DomainConfig[]; seed?: number; durationMs?: number }) {
  const log = newLog();
  const { result } = await bootTestKernel({
    platform: aiHostTestPlatform,
    dmaSpaces: options.iommu,
    plugins: options.iommu ? [tableIommuPlugin(log)] : [],
    domains: options.domains ?? [tenantA, tenantB],
    durationMs: options.durationMs ?? 5,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const [a, b] = result.domains;
  return { result, log, a: a!.results, b: b!.results };
}

describe("ai-tenant and compromised-driver on the x86 test platform", () => {
  it("with an IOMMU: the tenant's device work all translates, every foreign access aborts, tenant A's memory is intact", async () => {
    const { a, b, log } = await bootAiHost({ iommu: true });
    expect(a["jobsCompleted"]).toBeGreaterThan(2);
    expect(a["jobErrors"] ?? 0).toBe(0);
    expect(a["packetsReceived"]).toBeGreaterThan(0);
    expect(a["packetsTransmitted"]).toBe(a["packetsReceived"]);
    expect(a["packetErrors"]).toBe(0);
    expect(a["nvmeCommands"]).toBeGreaterThan(0);
    expect(a["nvmeErrors"]).toBe(0);
    expect(a["abortedTransfers"]).toBe(0);
    expect(a["dmaAborted"]).toBe(0);
    expect(a["dmaUntranslated"]).toBe(0);
    expect(a["memoryIntact"]).toBe(true);
    expect(a["memorySha256"]).toBe(a["memorySha256Expected"]);
    expect(a["memorySha256"]).not.toBe(a["memorySha256AtStart"]);

    const attempts = b["attempts"] as number;
    expect(attempts).toBeGreaterThan(40);
    expect(b["foreignHits"] ?? 0).toBe(0);
    expect(b["kernelHits"] ?? 0).toBe(0);
    expect(b["unownedHits"] ?? 0).toBe(0);
    expect(b["isolationHeld"]).toBe(true);
    // what succeeded is the attacker's own memory (the victim's guest addresses overlap its own window)
    expect(b["succeeded"]).toBe(b["ownHits"] ?? 0);
    expect((b["aborted"] as number) + (b["succeeded"] as number)).toBe(attempts);
    for (const category of ["victimHost", "kernel", "unmapped"]) expect(b[`${category}Aborted`]).toBe(b[`${category}Attempts`]);
    expect(b["victimHostAttempts"]).toBeGreaterThan(0);
    expect(log.aborted).toBe(b["aborted"]);
  });

  it("without an IOMMU: the same attack reaches tenant A and the kernel, and the results say so", async () => {
    const { a, b, result } = await bootAiHost({ iommu: false });
    expect(b["isolationHeld"]).toBe(false);
    expect(b["foreignHits"]).toBeGreaterThan(0);
    expect(b["foreignBytesWritten"]).toBeGreaterThan(0);
    expect(b["foreignBytesRead"]).toBeGreaterThan(0);
    expect(b["kernelHits"]).toBeGreaterThan(0);
    expect(b["untranslated"]).toBe(b["attempts"]);
    expect(b["dmaIsolated"]).toBe(false);
    // tenant A's memory was written by someone else: the ledger shows it
    expect(a["memoryIntact"]).toBe(false);
    expect(a["memoryFramesChangedByOthers"]).toBeGreaterThan(0);
    expect(a["memorySha256"]).not.toBe(a["memorySha256Expected"]);
    // and the benign tenant's own DMA, programmed with IOVAs, hits whatever lies at those physical addresses
    expect(a["untranslatedTransfers"]).toBeGreaterThan(0);
    expect(a["jobsCompleted"] ?? 0).toBe(0);
    expect(result.log.some((line) => /DMA ATTACK: tenant-b .* NOT isolated$/.test(line))).toBe(true);
  });

  it("with a dma tap that lets only a range through, only that range is reached", async () => {
    const { result: ranged } = await bootTestKernel({
      platform: aiHostTestPlatform,
      plugins: [rangeDmaPlugin(0x100_0000n, 0x10_0000n)],
      domains: [{ ...tenantB, workloadOptions: { victims: [], attackUnmapped: false, attackKernel: false, kernelTargets: ["0x1000000", "0x2000000"], maxAttempts: 40 } }],
      durationMs: 2,
    });
    const b = ranged.domains[0]!.results;
    // kernelTargets alternate: 0x1000000 is inside the allowed range (and kernel frames), 0x2000000 is not
    expect(b["kernelAttempts"]).toBe(10);
    expect(b["kernelAborted"]).toBe(5);
    expect(b["kernelHits"]).toBe(5);
  });

  it("is deterministic: same seed, same log and results; another seed, other traffic", async () => {
    const first = await bootAiHost({ iommu: true, seed: 11, durationMs: 2 });
    const second = await bootAiHost({ iommu: true, seed: 11, durationMs: 2 });
    const other = await bootAiHost({ iommu: true, seed: 12, durationMs: 2 });
    expect(second.result.log).toEqual(first.result.log);
    expect(second.result.domains).toEqual(first.result.domains);
    expect(other.a["memorySha256"]).not.toBe(first.a["memorySha256"]);
    // the start of memory does not depend on the seed: nothing ran yet
    expect(other.a["memorySha256AtStart"]).toBe(first.a["memorySha256AtStart"]);
  });

  it("runs VM tenants (guest spaces) the same way", async () => {
    const { a, b } = await bootVms();
    expect(a["jobsCompleted"]).toBeGreaterThan(0);
    expect(a["memoryIntact"]).toBe(true);
    expect(b["isolationHeld"]).toBe(true);
  });
});

async function bootVms() {
  const log = newLog();
  const { result } = await bootTestKernel({
    platform: aiHostTestPlatform,
    dmaSpaces: true,
    guestSpaces: true,
    plugins: [tableIommuPlugin(log)],
    domains: [{ ...tenantA, kind: "vm" }, { ...tenantB, kind: "vm" }],
    durationMs: 5,
  });
  return { result, log, a: result.domains[0]!.results, b: result.domains[1]!.results };
}

describe("the driver API", () => {
  const probe = (seen: Record<string, unknown>): WorkloadDefinition => ({
    name: "device-probe",
    description: "test: what a domain's API offers",
    async run(api, instance) {
      const devices: readonly DeviceHandle[] = api.devices();
      seen[instance.domain] = devices.map((device) => `${device.address}:${device.kind}:${device.busMaster}`);
      try {
        api.device("00:07.0");
        seen[`${instance.domain}-foreign`] = "reachable";
      } catch (error) {
        seen[`${instance.domain}-foreign`] = (error as { code?: string }).code;
      }
      seen[`${instance.domain}-own`] = api.device("0000:00:05.0").kind;
      seen[`${instance.domain}-memory`] = `${api.domainMemory()!.base.toString(16)}+${api.domainMemory()!.size.toString(16)}`;
      const smbus = devices.find((device) => !device.busMaster)!;
      await smbus.dma(0n, 4, false).catch((error: { code?: string }) => (seen[`${instance.domain}-smbus`] = error.code));
      const before = api.now();
      const own = api.device("00:05.0");
      await own.dma(api.domainMemory()!.base, 8192, false);
      seen[`${instance.domain}-dmaNs`] = api.now() - before;
      seen[`${instance.domain}-counters`] = own.counters();
      const map = api.physicalMemoryMap();
      seen[`${instance.domain}-map`] = map.domains.map((domain) => domain.name).join(",");
      seen[`${instance.domain}-kernel`] = map.kernel.some((range) => range.label.startsWith("HST root table"));
    },
  });

  it("offers a domain its own devices only, its memory, and the physical memory map", async () => {
    const seen: Record<string, unknown> = {};
    await bootTestKernel({
      platform: aiHostTestPlatform,
      workloads: [probe(seen)],
      domains: [
        { ...tenantA, devices: ["00:05.0", "00:1f.3"], workload: "device-probe" },
        { ...tenantB, devices: ["00:07.0"], workload: "busy-loop" },
      ],
      durationMs: 1,
    });
    expect(seen["tenant-a"]).toEqual(["0000:00:05.0:accelerator:true", "0000:00:1f.3:generic:false"]);
    expect(seen["tenant-a-foreign"]).toBe("NK-DEV-006");
    expect(seen["tenant-a-own"]).toBe("accelerator");
    expect(seen["tenant-a-memory"]).toBe("40000000+800000");
    expect(seen["tenant-a-smbus"]).toBe("NK-DEV-004");
    expect(seen["tenant-a-map"]).toBe("tenant-a,tenant-b");
    expect(seen["tenant-a-kernel"]).toBe(true);
    // device work costs simulated time: the doorbell plus two 4 KiB transactions at the documented rates
    expect(seen["tenant-a-dmaNs"]).toBeGreaterThanOrEqual(MMIO_WRITE_NS + dmaCostNs(2, 8192));
    // no IOMMU here: the domain's own address 0x40000000 goes out untranslated, and no RAM lies there
    expect(seen["tenant-a-counters"]).toMatchObject({ attempted: 2, completed: 0, aborted: 2, untranslated: 2, bytesAborted: 8192 });
  });

  it("hashes every domain's memory when the machine has devices, and leaves device-less configurations alone", async () => {
    const idle: DomainConfig = { name: "idle", kind: "native", memoryMiB: 2, vcpus: 1, priority: 5, budgetMs: 1, workload: "busy-loop" };
    const withDevices = await bootTestKernel({ platform: aiHostTestPlatform, domains: [{ ...tenantB, workloadOptions: { maxAttempts: 0 } }, idle], durationMs: 1 });
    const results = withDevices.result.domains[1]!.results;
    expect(results["memoryIntact"]).toBe(true);
    expect(results["memorySha256"]).toBe(results["memorySha256AtStart"]);
    expect(results["dmaTransactions"]).toBeUndefined();
    const without = await bootTestKernel({ platform: aiHostTestPlatform, domains: [idle], durationMs: 1 });
    expect(Object.keys(without.result.domains[0]!.results)).toEqual(["slices"]);
  });

  it("rejects a device given to two domains and bad workload options, naming the field", async () => {
    await expect(createTestKernel({ platform: aiHostTestPlatform, domains: [tenantA, { ...tenantB, devices: ["00:05.0"] }] }).boot()).rejects.toMatchObject({
      code: "NK-DEV-005",
    });
    await expect(createTestKernel({ platform: aiHostTestPlatform, domains: [{ ...tenantA, workloadOptions: { jobBytes: -1 } }] }).boot()).rejects.toMatchObject({
      code: "NK-DEV-050",
      location: { field: "domains[0].workloadOptions.jobBytes" },
    });
    await expect(
      createTestKernel({ platform: aiHostTestPlatform, domains: [{ ...tenantB, workloadOptions: { kernelTargets: ["feb80000"] } }] }).boot(),
    ).rejects.toMatchObject({ code: "NK-DEV-050", location: { field: "domains[0].workloadOptions.kernelTargets.0" } });
    await expect(createTestKernel({ platform: aiHostTestPlatform, domains: [{ ...tenantA, workloadOptions: { colour: "red" } }] }).boot()).rejects.toMatchObject({
      code: "NK-DEV-050",
    });
  });
});
