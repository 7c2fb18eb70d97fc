import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { matrixCombinations } from "./matrix-combinations.js";

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
