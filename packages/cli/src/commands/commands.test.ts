import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR, makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

describe("novakit init", () => {
  it("writes a novakit.config.ts that itself loads, validates and checks clean", async () => {
    const dir = await makeProject();
    const init = await runIn(dir, ["init"]);
    expect(init).toMatchObject({ status: 0, stderr: "" });
    expect(init.stdout).toBe(`wrote ${join(dir, "novakit.config.ts")}\n`);
    const check = await runIn(dir, ["check", "--json"]);
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ ok: true, config: "novakit.config.ts", diagnostics: [] });
  });

  it("refuses to overwrite without --force and leaves the file alone", async () => {
    const dir = await makeProject({ "novakit.config.ts": "// mine\n" });
    const refused = await runIn(dir, ["init"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^novakit: error: .*novakit\.config\.ts: novakit\.config\.ts already exists \[NK-CLI-004\]\n  hint: pass --force/);
    expect(await readFile(join(dir, "novakit.config.ts"), "utf8")).toBe("// mine\n");
    const forced = await runIn(dir, ["init", "--force", "--json"]);
    expect(forced.status).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({ file: join(dir, "novakit.config.ts") });
    expect(await readFile(join(dir, "novakit.config.ts"), "utf8")).toContain("defineConfig");
  });
});

describe("novakit compose", () => {
  it("is deterministic: same configuration, same bytes and hash; -o writes the same JSON", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify({ ...smallConfig(), cmdline: "nosm  nopcid bogus" }) });
    const first = await runIn(dir, ["compose", "config.json", "--json", "-o", "out"]);
    const second = await runIn(dir, ["compose", "config.json", "--json"]);
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(await readFile(join(dir, "out", "bootable.json"), "utf8")).toBe(first.stdout);
    const bootable = JSON.parse(first.stdout) as Record<string, unknown> & { plugins: { name: string; version: string }[] };
    expect(bootable["hash"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bootable.plugins.map((plugin) => plugin.name)).toEqual(["@novakit/arch-x86_64", "@novakit/iommu-amd", "@novakit/scheduler"]);
    expect(bootable["cmdline"]).toEqual({ text: "nosm nopcid bogus", options: ["nopcid", "nosmmu"], ignoredTokens: ["bogus"] });
    expect(bootable["platform"]).toMatchObject({ name: "qemu-q35-amd-iommu", arch: "x86_64", cpus: 4 });
  });

  it("changes the hash when the configuration changes", async () => {
    const dir = await makeProject({ "a.json": JSON.stringify(smallConfig()), "b.json": JSON.stringify({ ...smallConfig(), seed: 8 }) });
    const hashOf = async (file: string) => (JSON.parse((await runIn(dir, ["compose", file, "--json"])).stdout) as { hash: string }).hash;
    expect(await hashOf("a.json")).not.toBe(await hashOf("b.json"));
  });
});

describe("novakit boot", () => {
  it("--json prints the BootResult with stable names, hex bigints and the HIP as hex", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["boot", "config.json", "--json", "--seed", "3"]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown> & {
      domains: { name: string; scUsedNs: number[] }[];
      platform: { memory: { base: string }[] };
      hip: string;
    };
    expect(Object.keys(result).sort()).toEqual(["configName", "domains", "faults", "hip", "log", "platform", "pluginReports", "plugins", "seed", "stats"]);
    expect(result["seed"]).toBe(3);
    expect(result.hip).toMatch(/^([0-9a-f]{2})+$/);
    expect(result.platform.memory[0]?.base).toMatch(/^0x[0-9a-f]+$/);
    expect(result.domains.map((domain) => domain.name)).toEqual(["server", "client", "batch"]);
    const again = await runIn(dir, ["boot", "config.json", "--json", "--seed", "3"]);
    expect(again.stdout).toBe(run.stdout);
  });

  it("prints the log and a summary table", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["boot", "config.json"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^NOVA Microhypervisor/);
    expect(run.stdout).toMatch(/\ndomain +pd +ECs +CPU ms +share +round trips +results\n/);
    expect(run.stdout).toMatch(/\nclient +\d+ +1 +[\d.]+ +[\d.]+% +[1-9]\d*/);
    const quiet = await runIn(dir, ["boot", "config.json", "--quiet"]);
    expect(quiet.stdout).not.toContain("NOVA Microhypervisor");
  });

  it("rejects a bad --seed as a usage error", async () => {
    const run = await runIn(CLI_PACKAGE_DIR, ["boot", "--seed", "-1"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/NK-CLI-00[26]/);
  });
});

describe("usage, help, exit codes", () => {
  it("unknown command and unknown option exit 2 with one line and a hint", async () => {
    const unknown = await runIn(CLI_PACKAGE_DIR, ["frobnicate"]);
    expect(unknown).toMatchObject({ status: 2, stdout: "" });
    expect(unknown.stderr).toBe('novakit: error: unknown command "frobnicate" [NK-CLI-001]\n  hint: commands: init, compose, check, boot, inspect, import, plugins, cet, measure, verify-log\n');
    const option = await runIn(CLI_PACKAGE_DIR, ["check", "--fast"]);
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/^novakit: error: check: Unknown option '--fast'.*\[NK-CLI-002\]/);
    const extra = await runIn(CLI_PACKAGE_DIR, ["check", "a.json", "b.json"]);
    expect(extra.stderr).toMatch(/unexpected argument "b.json" \[NK-CLI-003\]/);
  });

  it("a missing configuration file is an input error (2), not a failed check", async () => {
    const run = await runIn(CLI_PACKAGE_DIR, ["check", "nope.json"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("novakit: error: nope.json: configuration file not found [NK-CFG-001]\n  hint: run `novakit init` to write one\n");
  });

  it("check exits 0 with warnings only", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify({ ...smallConfig(), cmdline: "nouart verbose" }) });
    const run = await runIn(dir, ["check", "config.json"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('warning NK-CFG-016: config.json: cmdline: NOVA does not recognise the command-line token "verbose"');
  });

  it("every command has --help; --version prints the package version", async () => {
    for (const command of ["init", "compose", "check", "boot", "plugins"]) {
      const run = await runIn(CLI_PACKAGE_DIR, [command, "--help"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: novakit ${command}`));
    }
    const packageJson = JSON.parse(await readFile(join(CLI_PACKAGE_DIR, "package.json"), "utf8")) as { version: string };
    expect((await runIn(CLI_PACKAGE_DIR, ["--version"])).stdout).toBe(`${packageJson.version}\n`);
  });

  it("plugins --json lists plugins, profiles and workloads", async () => {
    const run = await runIn(CLI_PACKAGE_DIR, ["plugins", "--json"]);
    const catalog = JSON.parse(run.stdout) as { plugins: { name: string; kind: string }[]; profiles: { name: string }[]; workloads: { name: string }[] };
    expect(catalog.plugins.map((plugin) => plugin.name)).toContain("@novakit/scheduler");
    expect(catalog.profiles.map((profile) => profile.name)).toContain("qemu-q35-amd-iommu");
    expect(catalog.workloads.map((workload) => workload.name)).toEqual(expect.arrayContaining(["busy-loop", "ipc-server", "ipc-client", "periodic"]));
  });

  it("colours only on a TTY and never with NO_COLOR", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify(smallConfig()) });
    const coloured = await runIn(dir, ["check", "config.json"], {}, true);
    expect(coloured.stdout).toContain("\u001b[32m");
    const noColor = await runIn(dir, ["check", "config.json"], { NO_COLOR: "1" }, true);
    expect(noColor.stdout).not.toContain("\u001b[");
    const piped = await runIn(dir, ["check", "config.json"]);
    expect(piped.stdout).not.toContain("\u001b[");
  });
});

describe("the real bin (spawned)", () => {
  const bin = join(CLI_PACKAGE_DIR, "bin", "novakit-dev.js");

  it("--help exits 0", () => {
    const run = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: novakit <command>/);
  });

  it("an input error exits 2 with one line on stderr and no stack trace", () => {
    const run = spawnSync(process.execPath, [bin, "boot", "missing.json"], { encoding: "utf8", cwd: CLI_PACKAGE_DIR });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("novakit: error: missing.json: configuration file not found [NK-CFG-001]\n  hint: run `novakit init` to write one\n");
  });
});
