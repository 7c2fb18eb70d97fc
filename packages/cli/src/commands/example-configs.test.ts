import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn, runInProcess } from "../test-support/cli-harness.js";
import { EXAMPLE_CONFIGS_DIR, EXAMPLE_PLUGINS_DIR, inWorkingDirectory, linkPackage } from "../test-support/example-configs.js";

/** The parts of `boot --json` these tests read. */
interface BootJson {
  readonly configName: string;
  readonly plugins: readonly { readonly name: string }[];
  readonly domains: readonly { readonly name: string; readonly scUsedNs: readonly number[]; readonly results: Record<string, number> }[];
  readonly faults: readonly { readonly kind: string; readonly timeNs: number; readonly domain?: string; readonly detail: string }[];
}

const EXAMPLES = [
  { folder: "x86-basic", file: "novakit.config.json", domains: ["sensor", "batch"] },
  { folder: "third-party-plugins", file: "novakit.config.json", domains: ["a", "b"] },
  { folder: "x86-typescript", file: "novakit.config.ts", domains: ["echo", "caller", "control-loop"] },
  { folder: "aarch64-basic", file: "novakit.config.json", domains: ["server", "client", "guest"] },
  { folder: "two-domains", file: "novakit.config.json", domains: ["echo", "caller"] },
] as const;

const cpuNs = (domain: BootJson["domains"][number]): number => domain.scUsedNs.reduce((sum, ns) => sum + ns, 0);

/**
 * Each example runs as a user would run it from some other directory: `novakit boot <folder>`.
 * The working directory is a fresh temp dir (process and CLI alike), so the fault exporter's
 * relative `faults.jsonl` lands there and never in the repository.
 */
async function runExample(folder: string, argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string; cwd: string }> {
  const cwd = await makeProject();
  const args = [...argv.slice(0, 1), join(EXAMPLE_CONFIGS_DIR, folder), ...argv.slice(1)];
  // a TypeScript configuration is loaded in a process of its own (see runInProcess)
  const typescript = existsSync(join(EXAMPLE_CONFIGS_DIR, folder, "novakit.config.ts"));
  const run = typescript ? await runInProcess(cwd, args) : await inWorkingDirectory(cwd, () => runIn(cwd, args));
  return { ...run, cwd };
}

describe("examples/configs", () => {
  it.each(EXAMPLES)("$folder: the folder holds $file and a README", async ({ folder, file }) => {
    expect(existsSync(join(EXAMPLE_CONFIGS_DIR, folder, file))).toBe(true);
    expect(await readFile(join(EXAMPLE_CONFIGS_DIR, folder, "README.md"), "utf8")).toMatch(/^# /);
  });

  it.each(EXAMPLES)("$folder: check passes with no diagnostics", async ({ folder, file }) => {
    const run = await runExample(folder, ["check", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; config: string; diagnostics: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.config.endsWith(join(folder, file))).toBe(true);
    expect(report.diagnostics).toEqual([]);
  });

  it.each(EXAMPLES)("$folder: boots, every domain runs, and the same boot gives the same bytes", async ({ folder, domains }) => {
    const first = await runExample(folder, ["boot", "--json"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout) as BootJson;
    expect(result.configName).toBe(folder);
    expect(result.domains.map((domain) => domain.name)).toEqual(domains);
    for (const domain of result.domains) expect(Object.values(domain.results).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    const second = await runExample(folder, ["boot", "--json"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });
});

describe("examples/configs/third-party-plugins", () => {
  it("runs the EDF scheduler (by path) instead of @novakit/scheduler, and the fault exporter (by name)", async () => {
    const run = await runExample("third-party-plugins", ["boot", "--json"]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as BootJson;
    expect(result.plugins.map((plugin) => plugin.name)).toEqual([
      "@novakit/arch-x86_64",
      "@novakit/iommu-amd",
      "novakit-plugin-edf-scheduler",
      "novakit-plugin-fault-exporter",
    ]);
    // Listed is not enough: EDF gives the two equal-priority busy loops (budgets 2 and 6 ms)
    // near-equal CPU time, where round robin with budget-sized slices would give b ~3x a.
    const [a, b] = result.domains;
    if (a === undefined || b === undefined) throw new Error("expected domains a and b");
    expect(Math.abs(cpuNs(a) - cpuNs(b))).toBeLessThan(0.1 * (cpuNs(a) + cpuNs(b)));
  });

  it("the fault exporter writes faults.jsonl in the working directory: empty, as nothing faults", async () => {
    const run = await runExample("third-party-plugins", ["boot", "--json"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as BootJson).faults).toEqual([]);
    expect(await readFile(join(run.cwd, "faults.jsonl"), "utf8")).toBe("");
  });
});

/**
 * The exporter as an outside author ships it, loaded by the CLI by package name, in a boot that
 * faults. Its own tests cover a booted kernel with an in-memory sink and the file sink with
 * hand-made events; this covers the file through the CLI.
 */
describe("the fault exporter loaded by name in a boot that faults", () => {
  const crashingWorkloadPlugin = `// a plugin file next to the config: registers a workload that fails after a little work
export default {
  name: "crash-workload",
  version: "1.0.0",
  kind: "extension",
  register(context) {
    context.registerWorkload({
      name: "crash-after-work",
      description: "computes 50 µs, then throws",
      async run(api) {
        await api.compute(50000);
        throw new Error("deliberate failure");
      },
    });
  },
};
`;

  it("writes one JSON line per fault of the BootResult, in order", async () => {
    const dir = await makeProject({ "crash-workload.mjs": crashingWorkloadPlugin });
    await linkPackage(dir, "novakit-plugin-fault-exporter", join(EXAMPLE_PLUGINS_DIR, "fault-exporter"));
    const faultsPath = join(dir, "faults.jsonl");
    const config = {
      name: "faulty",
      arch: "x86_64",
      platform: "qemu-q35-amd-iommu",
      plugins: [{ name: "novakit-plugin-fault-exporter", options: { path: faultsPath } }, "./crash-workload.mjs"],
      durationMs: 5,
      domains: [
        { name: "fragile", kind: "native", memoryMiB: 2, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 1, workload: "crash-after-work" },
        { name: "steady", kind: "native", memoryMiB: 2, vcpus: 1, cpus: [2], priority: 10, budgetMs: 1, workload: "busy-loop" },
      ],
    };
    await writeFile(join(dir, "novakit.config.json"), JSON.stringify(config));
    expect((await runIn(dir, ["check"])).status).toBe(0);
    const run = await runIn(dir, ["boot", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as BootJson;
    expect(result.faults.length).toBeGreaterThanOrEqual(1);
    const lines = (await readFile(faultsPath, "utf8")).split("\n").filter((line) => line !== "");
    const parsed = lines.map((line) => JSON.parse(line) as { sequence: number; kind: string; timeNs: number; domain: string | null; detail: string });
    expect(parsed.map((line) => line.sequence)).toEqual(result.faults.map((_, index) => index));
    expect(parsed.map(({ kind, timeNs, domain, detail }) => ({ kind, timeNs, domain, detail }))).toEqual(
      result.faults.map(({ kind, timeNs, domain, detail }) => ({ kind, timeNs, domain: domain ?? null, detail })),
    );
    for (const line of parsed) {
      expect(line.kind).toBe("exception");
      expect(line.detail).toContain("deliberate failure");
    }
  });
});
