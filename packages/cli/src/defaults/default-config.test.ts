import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { EXAMPLE_CONFIGS_DIR } from "../test-support/example-configs.js";
import { defaultConfig } from "./default-config.js";

const numberAfter = (text: string, pattern: RegExp): number => {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`no match for ${String(pattern)}`);
  return Number(match[1]);
};

describe("the built-in default configuration: the shared AI host", () => {
  it("is two tenant VMs with an accelerator and a NIC each on the AI-host profile, tenant-b compromised", () => {
    expect(defaultConfig.platform).toBe("qemu-q35-amd-iommu-ai-host");
    const tenants = defaultConfig.domains.filter((domain) => domain.devices !== undefined);
    expect(tenants.map((domain) => [domain.name, domain.kind, domain.devices, domain.workload])).toEqual([
      ["tenant-a", "vm", ["00:03.0", "00:05.0"], "ai-tenant"],
      ["tenant-b", "vm", ["00:04.0", "00:06.0"], "compromised-driver"],
    ]);
  });

  it("boots the same bytes twice, and the summary tells the isolation story", async () => {
    const dir = await makeProject();
    const first = await runIn(dir, ["boot"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const second = await runIn(dir, ["boot"]);
    expect(second.stdout).toBe(first.stdout);
    const out = first.stdout;
    expect(out).toContain("shared-ai-host (seed 1) on qemu-q35-amd-iommu-ai-host");
    // per tenant: devices and the IOMMU that translates them
    expect(out).toMatch(/tenant-a \(pd \d+\): 0000:00:03\.0 processing accelerator 0 \(vfio-pci\), 0000:00:05\.0 Intel 82574L NIC \(e1000e\)\n {4}via amd-vi@0xfed80000, \d+ DMA transactions, 0 aborted, 0 untranslated/);
    expect(out).toMatch(/tenant-b \(pd \d+\): 0000:00:04\.0 processing accelerator 1 \(vfio-pci\), 0000:00:06\.0 Intel 82574L NIC \(e1000e\)\n {4}via amd-vi@0xfed80000/);
    // the attack: every foreign attempt aborted, each abort a logged event (none dropped here)
    const attempts = numberAfter(out, /compromised driver on tenant-a: (\d+) attempts/);
    const aborted = numberAfter(out, /compromised driver on tenant-a: \d+ attempts, (\d+) aborted/);
    expect(attempts).toBeGreaterThan(1000);
    expect(out).toContain("0 into another domain's, 0 into the kernel's)");
    expect(out).toMatch(/victim's host frames (\d+)\/\1 aborted/);
    expect(out).toMatch(/kernel memory (\d+)\/\1 aborted, unmapped addresses (\d+)\/\2 aborted/);
    expect(out).toContain("isolation held");
    expect(numberAfter(out, /IOMMU: (\d+) DMA faults/)).toBe(aborted);
    expect(numberAfter(out, /DMA faults, (\d+) logged as events/) + numberAfter(out, /logged as events, (\d+) dropped/)).toBe(aborted);
    expect(out).toMatch(/tenant-a memory: sha256 [0-9a-f]{16}… unchanged by others/);
    expect(numberAfter(out, /faults: \d+ \(dma (\d+)/)).toBe(aborted);
    // what the old default showed is still there: IPC round trips and the budgets' temporal isolation
    expect(numberAfter(out, /\nworker +\d+ +1 +[\d.]+ +[\d.]+% +(\d+)/)).toBeGreaterThan(100);
    expect(out).toMatch(/\nbatch +\d+ +1 +[\d.]+ +[\d.]+% +- +slices=\d+/);
  }, 60_000);
});

describe("examples/configs/ai-host", () => {
  it("checks clean, and check --isolation proves every device reaches only its own domain", async () => {
    const dir = await makeProject();
    const folder = join(EXAMPLE_CONFIGS_DIR, "ai-host");
    const check = await runIn(dir, ["check", folder, "--json"]);
    expect(check.status).toBe(0);
    expect((JSON.parse(check.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    const isolation = await runIn(dir, ["check", "--isolation", folder, "--json"]);
    expect(isolation.stderr).toBe("");
    expect(isolation.status).toBe(0);
    const report = JSON.parse(isolation.stdout) as { ok: boolean; devices: { address: string; domain?: string; mode: string }[] };
    expect(report.ok).toBe(true);
    expect(report.devices.filter((device) => device.mode === "translated").map((device) => [device.address, device.domain])).toEqual([
      ["0000:00:03.0", "trainer"],
      ["0000:00:04.0", "intruder"],
      ["0000:00:05.0", "trainer"],
      ["0000:00:06.0", "intruder"],
      ["0000:00:07.0", "trainer"],
    ]);
  }, 60_000);

  it("is a measured launch (SKINIT on this AMD host) whose PCRs are what `measure` predicts", async () => {
    const dir = await makeProject();
    const boot = await runIn(dir, ["boot", "--json"]);
    expect(boot.status).toBe(0);
    const reports = (JSON.parse(boot.stdout) as { pluginReports: Record<string, Record<string, string>> }).pluginReports;
    const launch = reports["@novakit/txt-launch"];
    expect(launch?.["method"]).toBe("skinit");
    const measure = await runIn(dir, ["measure", "--json"]);
    expect(measure.status).toBe(0);
    const predicted = (JSON.parse(measure.stdout) as { pcrs: Record<string, Record<string, string>> }).pcrs;
    for (const bank of ["sha1", "sha256", "sha384", "sha512"]) {
      for (const pcr of ["17", "18", "19"]) expect(launch?.[`${bank}.pcr${pcr}`]).toBe(predicted[bank]?.[pcr]);
    }
    const human = await runIn(dir, ["boot", "--quiet"]);
    expect(human.stdout).toContain("Measured launch: AMD SKINIT, TPM embedded");
    expect(human.stdout).toContain(`sha256 PCR17 ${predicted["sha256"]?.["17"]?.slice(0, 16)}…`);
  });
});
