import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { junitReport } from "./junit-report.js";
import { matrixCombinations } from "./matrix-combinations.js";
import { runMatrix, shardOf } from "./matrix-run.js";

interface MatrixRow {
  arch: string;
  platform: string;
  plugins: string;
  scenario: string;
  valid: boolean;
  rejected?: { code: string; reason: string };
}

describe("novakit matrix", () => {
  it("lists every combination, the valid ones and the rejected ones with check's reason and code", async () => {
    const dir = await makeProject();
    const run = await runIn(dir, ["matrix", "--json", "--rejected"]);
    expect(run.status).toBe(0);
    const rows = (JSON.parse(run.stdout) as { combinations: MatrixRow[] }).combinations;
    // 6 built-in profiles x 4 plugin sets x 4 scenarios
    expect(rows).toHaveLength(96);
    const find = (arch: string, platform: string, plugins: string, scenario: string) =>
      rows.find((row) => row.arch === arch && row.platform === platform && row.plugins === plugins && row.scenario === scenario);
    expect(find("x86_64", "qemu-q35-amd-iommu-ai-host", "launch", "dma-isolation")?.valid).toBe(true);
    expect(find("aarch64", "qemu-virt-gicv3", "launch", "ipc")?.rejected?.code).toBe("NK-PLG-007");
    expect(find("x86_64", "qemu-q35-amd-iommu", "base", "cf-attack")?.rejected?.code).toBe("NK-CFG-010");
    expect(find("x86_64", "qemu-q35-amd-iommu", "base", "dma-isolation")?.rejected?.code).toBe("NK-CLI-008");
    // no built-in CPU has supervisor CET: CFP=full is refused, naming the missing features
    expect(find("x86_64", "qemu-q35-amd-iommu", "cet", "ipc")?.rejected).toMatchObject({ code: "NK-CET-050", reason: expect.stringContaining("CET_SSS") });
    const github = await runIn(dir, ["matrix", "--format", "github"]);
    expect(JSON.parse(github.stdout)).toEqual({
      include: rows.filter((row) => row.valid).map(({ arch, platform, plugins, scenario }) => ({ arch, platform, plugins, scenario })),
    });
  });

  it("every combination it calls valid boots", async () => {
    const dir = await makeProject();
    const valid = (await matrixCombinations(dir)).filter((combination) => combination.rejected === undefined);
    expect(valid.length).toBeGreaterThan(10);
    for (const combination of valid) {
      const file = `${combination.config?.name ?? "unnamed"}.json`;
      await writeFile(join(dir, file), JSON.stringify(combination.config));
      const boot = await runIn(dir, ["boot", file, "--quiet"]);
      expect({ file, status: boot.status, stderr: boot.stderr }).toEqual({ file, status: 0, stderr: "" });
    }
  }, 120_000);

  it("rejects an unknown --format with exit 2", async () => {
    const run = await runIn(await makeProject(), ["matrix", "--format", "gitlab"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("[NK-CLI-006]");
  });
});

describe("novakit matrix run", () => {
  it("boots a shard in a pool, writes JUnit XML, and boots nothing again while nothing changed", async () => {
    const dir = await makeProject();
    // a cache of this test's own, not the checkout's node_modules/.cache
    const env = { NOVAKIT_CACHE_DIR: join(dir, "cache") };
    const first = await runIn(dir, ["matrix", "run", "--jobs", "2", "--shard", "1/5", "--junit", "junit.xml"], env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^4 passed \(0 cached\), 0 failed$/m);
    const junit = await readFile(join(dir, "junit.xml"), "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    expect(junit).toContain('<testsuite name="novakit matrix" tests="4" failures="0"');
    const again = await runIn(dir, ["matrix", "run", "--shard", "1/5"], env);
    expect(again.stdout).toMatch(/^4 passed \(4 cached\), 0 failed$/m);
    const uncached = await runIn(dir, ["matrix", "run", "--shard", "5/5", "--no-cache"], env);
    expect(uncached.stdout).toMatch(/^4 passed \(0 cached\), 0 failed$/m);
  }, 120_000);

  it("reports a combination whose boot fails, with its error", async () => {
    const dir = await makeProject();
    const [good] = (await matrixCombinations(dir)).filter((combination) => combination.rejected === undefined);
    if (good?.config === undefined) throw new Error("no valid combination");
    const broken = { ...good, config: { ...good.config, domains: [{ ...good.config.domains[0]!, workload: "no-such-workload" }] } };
    const [outcome] = await runMatrix([broken], { jobs: 1, cacheDir: undefined });
    expect(outcome?.status).toBe("failed");
    expect(outcome?.failure).toContain("[NK-CFG-010]");
    const report = junitReport("s", [{ classname: "c", name: "n<1>", seconds: 0.5, failure: outcome?.failure ?? "" }]);
    expect(report).toContain('<testcase classname="c" name="n&lt;1&gt;" time="0.500">');
    expect(report).toContain('failures="1"');
  }, 60_000);

  it("rejects bad --jobs and --shard values with exit 2", async () => {
    const dir = await makeProject();
    for (const argv of [["--jobs", "0"], ["--shard", "3/2"], ["--shard", "x"]]) {
      const run = await runIn(dir, ["matrix", "run", ...argv]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("[NK-CLI-006]");
    }
    expect(shardOf([1, 2, 3, 4, 5], "2/2")).toEqual([2, 4]);
  });
});
