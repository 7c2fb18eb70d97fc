import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_ATTRIBUTES, MemoryCapabilityPermission } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { bootForIsolation } from "./isolation-check.js";
import { isolationReport } from "./isolation-report.js";

/** The parts of `check --isolation --json` these tests read. */
interface ReportJson {
  readonly config: string;
  readonly ok: boolean;
  readonly iommuAnswered: boolean;
  readonly devices: readonly { readonly address: string; readonly domain?: string; readonly mode: string; readonly readablePages: number; readonly writablePages: number; readonly violations: number }[];
  readonly violations: readonly { readonly code: string; readonly device: string; readonly domain: string; readonly owner: string; readonly start: string; readonly end: string }[];
  readonly ownedPages: Record<string, number>;
}

/**
 * Two tenants on the AI host, each with an accelerator and a NIC, running a workload that does no
 * DMA (so these tests depend only on the IOMMU plugin and the root task's assignment).
 */
function twoTenants(cmdline = ""): Record<string, unknown> {
  return {
    name: "isolation-test",
    arch: "x86_64",
    platform: "qemu-q35-amd-iommu-ai-host",
    cmdline,
    seed: 3,
    durationMs: 1,
    domains: [
      { name: "tenant-a", kind: "vm", memoryMiB: 8, vcpus: 1, cpus: [0], priority: 10, budgetMs: 1, devices: ["00:03.0", "00:05.0"], workload: "busy-loop" },
      { name: "tenant-b", kind: "vm", memoryMiB: 8, vcpus: 1, cpus: [1], priority: 10, budgetMs: 1, devices: ["00:04.0", "00:06.0"], workload: "busy-loop" },
    ],
  };
}

async function projectWith(config: Record<string, unknown>): Promise<string> {
  const dir = await makeProject();
  await writeFile(join(dir, "config.json"), JSON.stringify(config));
  return dir;
}

describe("novakit check --isolation", () => {
  it("the built-in default configuration (the shared AI host) is isolated: exit 0", async () => {
    const dir = await makeProject();
    const run = await runIn(dir, ["check", "--isolation", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.config).toBe("built-in default configuration");
    expect(report.ok).toBe(true);
    expect(report.iommuAnswered).toBe(true);
    expect(report.violations).toEqual([]);
    const byAddress = Object.fromEntries(report.devices.map((device) => [device.address, device]));
    for (const address of ["0000:00:03.0", "0000:00:05.0"]) expect(byAddress[address]).toMatchObject({ domain: "tenant-a", mode: "translated", violations: 0 });
    for (const address of ["0000:00:04.0", "0000:00:06.0"]) expect(byAddress[address]).toMatchObject({ domain: "tenant-b", mode: "translated", violations: 0 });
    // unassigned bus masters stay blocked (V=1, TV=0 from the IOMMU's init)
    for (const address of ["0000:00:07.0", "0000:00:1f.2"]) expect(byAddress[address]).toMatchObject({ mode: "blocked", readablePages: 0, writablePages: 0 });
    // a tenant's devices reach exactly its memory: 64 MiB = 16384 pages
    expect(byAddress["0000:00:03.0"]?.writablePages).toBe(report.ownedPages["tenant-a"]);
    expect(report.ownedPages["kernel"]).toBeGreaterThan(512); // at least the 2 MiB device table
  });

  it("prints a table and the verdict for people", async () => {
    const dir = await projectWith(twoTenants());
    const run = await runIn(dir, ["check", "--isolation", "config.json"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("0000:00:03.0 processing accelerator 0 (vfio-pci)");
    expect(run.stdout).toMatch(/isolated: 6 DMA-capable devices, \d+ pages reachable, 0 violations/);
    expect(run.stdout).toContain("amd-vi");
  });

  it("with nosmmu every bus master is untranslated: each reaches the other tenant and the kernel (exit 1)", async () => {
    const dir = await projectWith(twoTenants("nosmmu"));
    const run = await runIn(dir, ["check", "--isolation", "config.json", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.ok).toBe(false);
    expect(report.iommuAnswered).toBe(false);
    expect(report.devices.every((device) => device.mode === "passthrough")).toBe(true);
    expect(new Set(report.violations.map((violation) => violation.code))).toEqual(new Set(["NK-ISO-003"]));
    const ofB = report.violations.filter((violation) => violation.device === "0000:00:04.0");
    expect(ofB.map((violation) => violation.owner)).toEqual(expect.arrayContaining(["tenant-a", "kernel"]));
    expect(ofB.every((violation) => violation.domain === "tenant-b")).toBe(true);
    expect(ofB.some((violation) => violation.owner === "tenant-b")).toBe(false);
    const human = await runIn(dir, ["check", "--isolation", "config.json"]);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain("VIOLATION NK-ISO-003 0000:00:04.0 (tenant-b) can read+write tenant-a memory");
    expect(human.stdout).toContain("NOT ISOLATED");
  });

  it("catches a DMA space that maps another domain's frame, and one that maps a kernel frame", async () => {
    const dir = await projectWith(twoTenants());
    const { kernel, result, config } = await bootForIsolation(dir, "config.json");
    expect(isolationReport(kernel, result, config).violations).toEqual([]);
    const pdOf = (name: string) => result.domains.find((domain) => domain.name === name)?.pd;
    const spaces = kernel.memorySpaces();
    const guestA = spaces.find((space) => space.kind === "GST" && space.pdId === pdOf("tenant-a"));
    const dmaB = spaces.find((space) => space.kind === "DMA" && space.pdId === pdOf("tenant-b"));
    if (guestA === undefined || dmaB === undefined) throw new Error("expected tenant-a's guest space and tenant-b's DMA space");
    const victim = guestA.table.leaves(0n, guestA.table.format.inputBits - 12)[0];
    if (victim === undefined) throw new Error("tenant-a has no memory");
    const frameOfA = victim.outputAddress + 0x5000n;
    // a buggy root task: tenant-b's DMA space gets one page of tenant-a at IOVA 0x7000_0000
    expect(dmaB.table.map(0x7000_0000n, frameOfA, 0, MemoryCapabilityPermission.R | MemoryCapabilityPermission.W, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
    // ... and, read-only, the root of tenant-a's guest page table (a kernel frame)
    expect(dmaB.table.map(0x7000_1000n, guestA.table.rootAddress, 0, MemoryCapabilityPermission.R, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
    const report = isolationReport(kernel, result, config);
    expect(report.ok).toBe(false);
    const ofB = report.violations.filter((violation) => violation.domain === "tenant-b");
    // both of tenant-b's devices point at the same DMA space
    expect(ofB.map((violation) => [violation.device, violation.code, violation.owner, violation.start, violation.end, violation.read, violation.write])).toEqual([
      ["0000:00:04.0", "NK-ISO-002", "kernel", guestA.table.rootAddress, guestA.table.rootAddress + 0x1000n, true, false],
      ["0000:00:04.0", "NK-ISO-001", "tenant-a", frameOfA, frameOfA + 0x1000n, true, true],
      ["0000:00:06.0", "NK-ISO-002", "kernel", guestA.table.rootAddress, guestA.table.rootAddress + 0x1000n, true, false],
      ["0000:00:06.0", "NK-ISO-001", "tenant-a", frameOfA, frameOfA + 0x1000n, true, true],
    ]);
    expect(report.violations.filter((violation) => violation.domain === "tenant-a")).toEqual([]);

    // memory both tenants map is shared by declaration: reaching it is no longer a violation
    const guestB = spaces.find((space) => space.kind === "GST" && space.pdId === pdOf("tenant-b"));
    if (guestB === undefined) throw new Error("expected tenant-b's guest space");
    expect(guestB.table.map(0x7000_0000n, frameOfA, 0, MemoryCapabilityPermission.R | MemoryCapabilityPermission.W, DEFAULT_ATTRIBUTES)).toMatchObject({ ok: true });
    const shared = isolationReport(kernel, result, config);
    expect(shared.violations.map((violation) => violation.code)).toEqual(["NK-ISO-002", "NK-ISO-002"]);
    expect(shared.ownedPages["tenant-a+tenant-b"] ?? 0).toBe(0); // owners are counted one by one
  });
});
