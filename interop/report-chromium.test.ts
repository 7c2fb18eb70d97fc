import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { COMMANDS, defaultConfig, FAULT_ROWS_SHOWN, reportCommand } from "@novakit/cli";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type HeadlessChromium } from "./support/chromium.js";
import { novakit, type CliRun } from "./support/novakit-cli-run.js";

/**
 * `novakit report` end to end: the page for the built-in default AI host opened in headless
 * Chromium (Debian's `chromium`, driven by playwright-core with the flags in
 * support/chromium.ts), every request outside file: blocked and none attempted, and the graph,
 * the memory maps and the tables actually laid out (visible, with non-zero boxes). A full-page
 * screenshot goes to $NOVAKIT_ARTIFACT_DIR/report.png (CI keeps it), else to a temporary folder.
 * Without /usr/bin/chromium the test fails, saying which package to install.
 */

/** the report command through runCli once cli.ts registers it; until then the command object itself */
async function runReport(cwd: string, argv: readonly string[]): Promise<CliRun> {
  if (COMMANDS.some((command) => command.name === "report")) return novakit(cwd, ["report", ...argv]);
  let stdout = "";
  let stderr = "";
  const status = await reportCommand.run(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: { NO_COLOR: "1" }, stdoutIsTty: false });
  return { status, stdout, stderr };
}

async function expectLaidOut(page: Page, selector: string, expected: number): Promise<void> {
  const elements = page.locator(selector);
  expect(await elements.count(), selector).toBe(expected);
  for (let index = 0; index < expected; index++) {
    const element = elements.nth(index);
    expect(await element.isVisible(), `${selector} #${index} visible`).toBe(true);
    const box = await element.boundingBox();
    expect(box, `${selector} #${index} box`).not.toBeNull();
    expect(box!.width, `${selector} #${index} width`).toBeGreaterThan(0);
    expect(box!.height, `${selector} #${index} height`).toBeGreaterThan(0);
  }
}

describe("novakit report in headless Chromium", () => {
  let dir: string;
  let file: string;
  let browser: HeadlessChromium;
  let page: Page;
  const attempted: string[] = [];
  const loaded: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "novakit-report-e2e-"));
    file = join(dir, "report.html");
    const generated = await runReport(dir, ["-o", file]);
    expect(generated.stderr).toBe("");
    expect(generated.status).toBe(0);

    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) {
        loaded.push(url);
        await route.continue();
      } else {
        attempted.push(url);
        await route.abort();
      }
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("loads the one file and attempts no network request, and runs no script", async () => {
    expect(attempted).toEqual([]);
    expect(loaded).toEqual([pathToFileURL(file).href]);
    expect(await page.title()).toBe("novakit report: shared-ai-host");
    expect(await page.locator("script").count()).toBe(0);
  });

  it("renders a graph node for every PD and an edge for every delegation", async () => {
    await expectLaidOut(page, "svg.capability-graph", 1);
    await expectLaidOut(page, "svg.capability-graph g.pd-node.role-nova", 1);
    await expectLaidOut(page, "svg.capability-graph g.pd-node.role-root", 1);
    // one box per domain of the configuration, named after it
    await expectLaidOut(page, "svg.capability-graph g.pd-node.role-domain", defaultConfig.domains.length);
    for (const domain of defaultConfig.domains) {
      await expectLaidOut(page, `svg.capability-graph g.pd-node.role-domain:has(text.pd-name:text-is("${domain.name}"))`, 1);
    }
    const delegations = await page.locator("table.delegations tr.delegation-row").count();
    expect(delegations).toBeGreaterThan(0);
    await expectLaidOut(page, "svg.capability-graph path.delegation", delegations);
  });

  it("renders the memory maps to scale and a row per assigned device per IOMMU", async () => {
    await expectLaidOut(page, "svg.memory-map.kind-GST", 2);
    await expectLaidOut(page, "svg.memory-map.kind-DMA", 2);
    // a tenant's 64 MiB guest space fills its zoom strip: the region is as wide as the bar
    const strip = page.locator("svg.memory-map.kind-GST").first().locator("rect.bar").nth(1);
    const region = page.locator("svg.memory-map.kind-GST").first().locator("g.region rect").nth(1);
    const [stripBox, regionBox] = [await strip.boundingBox(), await region.boundingBox()];
    // (the bar's 1-unit outline makes its box a little wider)
    expect(Math.abs(stripBox!.width - regionBox!.width)).toBeLessThanOrEqual(1.5);
    await expectLaidOut(page, 'h3.iommu-unit[data-iommu="amd-vi@0xfed80000"]', 1);
    await expectLaidOut(page, 'table.assignments tr.device-row[data-assigned="true"]', 4);
    for (const device of ["0000:00:03.0", "0000:00:04.0", "0000:00:05.0", "0000:00:06.0"]) {
      await expectLaidOut(page, `table.assignments tr.device-row[data-device="${device}"]`, 1);
    }
  });

  it("renders the fault timeline and its rows, and the PCR rows", async () => {
    // the compromised driver's accelerator is the one source of faults
    await expectLaidOut(page, 'svg.fault-timeline g.fault-lane[data-lane="0000:00:04.0"]', 1);
    const faults = Number(await page.locator("svg.fault-timeline g.fault-lane").getAttribute("data-faults"));
    expect(faults).toBeGreaterThan(0);
    expect(await page.locator("table.faults tr.fault-row").count()).toBe(Math.min(faults, FAULT_ROWS_SHOWN));
    await expectLaidOut(page, "table.faults tr.fault-row >> nth=0", 1);
    await expectLaidOut(page, "table.pcrs tr.pcr-row", 12);
    await expectLaidOut(page, "table.event-log tr.event-row", await page.locator("table.event-log tr.event-row").count());
    await expectLaidOut(page, "pre.boot-log", 1);
  });

  it("saves a full-page screenshot (the CI artifact)", async () => {
    const artifactDir = process.env["NOVAKIT_ARTIFACT_DIR"] ?? join(dir, "artifacts");
    await mkdir(artifactDir, { recursive: true });
    const path = join(artifactDir, "report.png");
    await page.screenshot({ path, fullPage: true, scale: "css", animations: "disabled" });
    const png = await readFile(path);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(800);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2000);
  });
});
