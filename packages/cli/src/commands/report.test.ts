import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../cli.js";
import { isNovakitError } from "@novakit/kernel-core";
import type { CliIo } from "../io/cli-io.js";
import { FAULT_ROWS_SHOWN } from "../report/report-page.js";
import { makeProject, runIn, smallConfig, type CliRun } from "../test-support/cli-harness.js";
import { EXAMPLE_CONFIGS_DIR } from "../test-support/example-configs.js";
import { reportCommand } from "./report.js";

/**
 * `novakit report` as a user runs it. Until cli.ts registers the command, it is run the way
 * runCli runs a command (a NovakitError is one stderr line and status 2); once registered,
 * through runCli itself.
 */
async function report(cwd: string, argv: readonly string[]): Promise<CliRun> {
  if (COMMANDS.some((command) => command.name === "report")) return runIn(cwd, ["report", ...argv]);
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: {}, stdoutIsTty: false };
  try {
    return { status: await reportCommand.run(argv, io), stdout, stderr };
  } catch (error) {
    if (!isNovakitError(error)) throw error;
    stderr += `novakit: error: ${error.describe()}\n`;
    return { status: 2, stdout, stderr };
  }
}

interface BootJson {
  readonly domains: readonly { readonly name: string; readonly pd: number }[];
  readonly faults: readonly { readonly timeNs: number; readonly address?: string; readonly device?: string }[];
}

interface MeasureJson {
  readonly pcrs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** the text of every `<tr class="CLASS" ...>` row, tags kept */
const rowsOf = (html: string, rowClass: string): string[] => [...html.matchAll(new RegExp(`<tr class="${rowClass}"[^>]*>.*?</tr>`, "g"))].map((match) => match[0]);

describe("novakit report (the built-in default AI host)", () => {
  let dir: string;
  let html: string;
  let first: CliRun;
  let boot: BootJson;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "novakit-report-test-"));
    // no -o: report.html in the working directory
    first = await report(dir, []);
    html = await readFile(join(dir, "report.html"), "utf8");
    const booted = await runIn(dir, ["boot", "--json"]);
    expect(booted.status).toBe(0);
    boot = JSON.parse(booted.stdout) as BootJson;
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes report.html in the working directory by default, atomically (no temporary file left)", async () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`wrote ${join(dir, "report.html")} (${Buffer.byteLength(html)} bytes)\n`);
    expect(await readdir(dir)).toEqual(["report.html"]);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("writes the same bytes again for the same configuration and seed; another seed changes them", async () => {
    const again = await report(dir, ["-o", "again.html"]);
    expect(again.status).toBe(0);
    expect(await readFile(join(dir, "again.html"), "utf8")).toBe(html);
    const reseeded = await report(dir, ["-o", "seed9.html", "--seed", "9"]);
    expect(reseeded.status).toBe(0);
    const other = await readFile(join(dir, "seed9.html"), "utf8");
    expect(other).not.toBe(html);
    expect(other).toContain("seed 9");
  }, 120_000);

  it("names the novakit version and the configuration hash, and no time of day", async () => {
    const version = (JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    const composed = await runIn(dir, ["compose", "--json"]);
    const hash = (JSON.parse(composed.stdout) as { hash: string }).hash;
    expect(html).toContain(`<meta name="generator" content="novakit ${version}">`);
    expect(html).toContain(`<code>${hash}</code>`);
    expect(html).not.toMatch(/\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d/);
  });

  it("draws a graph node for every PD (NOVA, root, each domain) and one arc per delegation row", () => {
    for (const domain of boot.domains) {
      const node = new RegExp(`<g class="pd-node role-domain" data-pd="${domain.pd}"><title>[^<]*</title><rect[^>]*/><text class="pd-name"[^>]*>${domain.name}</text>`);
      expect(html).toMatch(node);
    }
    expect(html).toMatch(/<g class="pd-node role-nova" data-pd="1">/);
    expect(html).toMatch(/<g class="pd-node role-root" data-pd="\d+">/);
    const arcs = html.match(/<path class="delegation k-[A-Z]+" data-source="\d+" data-destination="\d+"/g) ?? [];
    const rows = rowsOf(html, "delegation-row");
    expect(arcs.length).toBeGreaterThan(0);
    expect(arcs.length).toBe(rows.length);
    // the root task hands every domain capabilities (OBJ) and NOVA's memory (HST)
    for (const domain of boot.domains) {
      expect(html).toMatch(new RegExp(`data-destination="${domain.pd}" data-kind="OBJ"`));
      expect(html).toMatch(new RegExp(`data-destination="${domain.pd}" data-kind="HST"`));
    }
  });

  it("has a row per assigned device per IOMMU with its DTE DomainID, and the unassigned NVMe blocked", () => {
    const rows = rowsOf(html, "device-row");
    const assigned = rows.filter((row) => row.includes('data-assigned="true"'));
    expect(assigned).toHaveLength(4);
    const domainIds = new Map<string, string>();
    for (const [device, domain] of [["0000:00:03.0", "tenant-a"], ["0000:00:05.0", "tenant-a"], ["0000:00:04.0", "tenant-b"], ["0000:00:06.0", "tenant-b"]] as const) {
      const row = assigned.find((candidate) => candidate.includes(`data-device="${device}"`));
      expect(row, device).toBeDefined();
      expect(row).toContain(`<td>${domain}</td>`);
      expect(row).toContain("translated");
      const domainId = /<td class="num">(\d+)<\/td><td>1\/1\/\d<\/td>/.exec(row ?? "")?.[1];
      expect(domainId, device).toBeDefined();
      domainIds.set(domain, domainId ?? "");
    }
    // one DomainID per domain, different for the two tenants
    expect(domainIds.get("tenant-a")).not.toBe(domainIds.get("tenant-b"));
    const nvme = rows.find((row) => row.includes('data-device="0000:00:07.0"'));
    expect(nvme).toContain('data-assigned="false"');
    expect(nvme).toContain("blocked");
    expect(html).toContain('data-iommu="amd-vi@0xfed80000"');
  });

  it("lists the compromised driver's DMA faults in simulated-time order", () => {
    expect(boot.faults.length).toBeGreaterThan(0);
    const rows = rowsOf(html, "fault-row");
    expect(rows).toHaveLength(Math.min(boot.faults.length, FAULT_ROWS_SHOWN));
    rows.forEach((row, index) => {
      const fault = boot.faults[index]!;
      expect(row).toContain(`<td class="num">${fault.timeNs}</td>`);
      expect(row).toContain(`<code>${fault.address}</code>`);
      expect(row).toContain(`<code>${fault.device}</code>`);
      expect(row).toContain("tenant-b (PD ");
    });
    expect(html).toMatch(new RegExp(`<g class="fault-lane" data-lane="0000:00:04.0" data-faults="${boot.faults.length}">`));
  });

  it("shows PCR 17/18/19 of every bank equal to what `measure --json` predicts", async () => {
    const measured = await runIn(dir, ["measure", "--json"]);
    expect(measured.status).toBe(0);
    const { pcrs } = JSON.parse(measured.stdout) as MeasureJson;
    const rows = rowsOf(html, "pcr-row");
    expect(rows).toHaveLength(12);
    for (const [bank, values] of Object.entries(pcrs)) {
      for (const [pcr, value] of Object.entries(values)) {
        const row = rows.find((candidate) => candidate.includes(`data-bank="${bank}" data-pcr="${pcr}"`));
        expect(row, `${bank} PCR ${pcr}`).toContain(`<code>${value}</code>`);
        expect(row).toContain("as predicted");
      }
    }
    expect(rowsOf(html, "event-row").length).toBeGreaterThan(0);
  });

  it("draws every domain's memory map with its guest and DMA spaces, and holds the whole boot log", () => {
    for (const domain of boot.domains) expect(html).toContain(`<h3 data-pd="${domain.pd}">${domain.name} (PD ${domain.pd})</h3>`);
    // the tenants are VMs with devices: a guest space and a DMA space each, 64 MiB mapped
    expect(html.match(/<svg class="memory-map kind-GST"/g)).toHaveLength(2);
    expect(html.match(/<svg class="memory-map kind-DMA"/g)).toHaveLength(2);
    expect(html).toMatch(/GST space \d+ · x86_64-npt-5level · 57-bit input · 64 MiB in 1 region/);
    expect(html).toContain("NOVA Microhypervisor v24-novakit (x86_64): shared-ai-host [seed 1]");
    expect(html).toContain("SMMU: 1 unit(s), ");
  });

  it("references nothing outside the page: no URL, no script, no external src or href", () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/@import/i);
    for (const [, target] of html.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^#[a-z-]+$/);
    for (const [, target] of html.matchAll(/url\(([^)]*)\)/g)) expect(target).toMatch(/^#arrow-[A-Z]+$/);
  });
});

describe("novakit report (a small configuration)", () => {
  it("escapes every string from the configuration (a hostile name), and says when there was no measured launch", async () => {
    const hostile = `<script>alert("x")</script> & <img onerror=1>`;
    const dir = await makeProject({ "novakit.config.json": JSON.stringify({ ...smallConfig(), name: hostile }) });
    const run = await report(dir, ["novakit.config.json", "-o", "small.html"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const html = await readFile(join(dir, "small.html"), "utf8");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img onerror=1&gt;");
    expect(html).toContain("The configuration has no measured launch");
    expect(html).toContain("No faults");
    for (const name of ["server", "client", "batch"]) expect(html).toMatch(new RegExp(`data-pd="\\d+"><title>[^<]*</title><rect[^>]*/><text class="pd-name"[^>]*>${name}<`));
  }, 60_000);
});

describe("novakit report errors", () => {
  it("refuses an unreadable configuration: exit 2, NK-RPT-001, no file", async () => {
    const dir = await makeProject();
    const run = await report(dir, ["missing.json", "-o", "out.html"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^novakit: error: missing\.json: report: cannot read the configuration missing\.json \[NK-RPT-001\]/);
    expect(await readdir(dir)).toEqual(["node_modules"]);
  });

  it("refuses -o in a directory that does not exist before booting: exit 2, NK-RPT-002, nothing created", async () => {
    const dir = await makeProject();
    const run = await report(dir, ["-o", "no/such/dir/report.html"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("[NK-RPT-002]");
    expect(run.stderr).toContain(`the directory ${join(dir, "no/such/dir")} does not exist`);
    expect(await readdir(dir)).toEqual(["node_modules"]);
  });

  it("refuses -o naming a directory: exit 2, NK-RPT-003", async () => {
    const dir = await makeProject();
    const run = await report(dir, ["-o", "node_modules"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("[NK-RPT-003]");
    expect(await readdir(dir)).toEqual(["node_modules"]);
  });

  it("refuses a bad seed and an unknown option with the CLI's codes", async () => {
    const dir = await makeProject();
    expect((await report(dir, ["--seed", "x"])).stderr).toContain("[NK-CLI-006]");
    expect((await report(dir, ["--frobnicate"])).stderr).toContain("[NK-CLI-002]");
    expect((await report(dir, ["a.json", "b.json"])).stderr).toContain("[NK-CLI-003]");
  });

  it("takes --arch: a portable configuration reports on aarch64; the x86_64-only default refuses it (NK-TGT-001)", async () => {
    const dir = await makeProject();
    const portable = await report(dir, [join(EXAMPLE_CONFIGS_DIR, "two-domains"), "--arch", "aarch64", "-o", "arm.html"]);
    expect(portable.status, portable.stderr).toBe(0);
    const html = await readFile(join(dir, "arm.html"), "utf8");
    expect(html).toContain("aarch64");
    expect(html).toContain("caller");
    const refused = await report(dir, ["--arch", "aarch64", "-o", "x.html"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("[NK-TGT-001]");
    expect(await readdir(dir)).not.toContain("x.html");
  });

  it("--help says what the page holds and where it goes by default", async () => {
    const run = await report(tmpdir(), ["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: novakit report [CONFIG] [-o FILE] [--seed N]");
    expect(run.stdout).toContain("default: report.html in the working directory");
    expect(run.stdout).toContain("capability graph");
  });
});
