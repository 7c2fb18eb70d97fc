import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNovakitError } from "@novakit/kernel-core";
import { describe, expect, it, onTestFinished } from "vitest";
import type { CliIo } from "../io/cli-io.js";
import type { CliRun } from "../test-support/cli-harness.js";
import { pluginCommand } from "./plugin.js";

/**
 * Runs `novakit plugin ARGV` through the command object, with runCli's contract: a NovakitError
 * is one `novakit: error: ...` line on stderr and exit status 2.
 */
async function runPlugin(cwd: string, argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env, stdoutIsTty: false };
  try {
    const status = await pluginCommand.run(argv, io);
    return { status, stdout, stderr };
  } catch (error) {
    if (!isNovakitError(error)) throw error;
    return { status: 2, stdout, stderr: `${stderr}novakit: error: ${error.describe()}\n` };
  }
}

/** An empty working directory outside the repository (so the package is generated standalone). */
async function workDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "novakit-plugin-cmd-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const BASE_FILES = [
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "vitest.config.ts",
  "README.md",
  "src/index.ts",
  "src/options.ts",
];

describe("novakit plugin", () => {
  it("--help lists the subcommands and points to `novakit plugins` for the built-in ones", async () => {
    const run = await runPlugin(await workDir(), ["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: novakit plugin <subcommand>/);
    expect(run.stdout).toMatch(/Subcommands:\n {2}new {3}scaffold a plugin package/);
    expect(run.stdout).toContain("`novakit plugins` lists the plugins that ship with novakit");
    expect(pluginCommand.summary).not.toBe("list built-in plugins, platform profiles and workloads");
  });

  it.each([
    [[], "plugin: a subcommand is missing"],
    [["create", "x"], 'plugin: unknown subcommand "create"'],
  ])("%j is a usage error (exit 2, NK-SCF-004)", async (argv, message) => {
    const run = await runPlugin(await workDir(), argv);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`novakit: error: ${message} [NK-SCF-004]\n  hint: subcommands: new (novakit plugin --help)\n`);
  });
});

describe("novakit plugin new", () => {
  it("--help describes NAME, the options and the kinds", async () => {
    const run = await runPlugin(await workDir(), ["new", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: novakit plugin new NAME \[--dir DIR\] \[--kind KIND\] \[--json\]/);
    expect(run.stdout).toContain("--kind KIND  launch, security, iommu, scheduler, exporter, extension (default extension)");
    expect(run.stdout).toContain("default: ./NAME without its scope");
  });

  it("creates ./NAME, prints every file it wrote and the next commands", async () => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, ["new", "novakit-plugin-foo"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const files = [...BASE_FILES, "src/foo.test.ts"];
    expect(run.stdout).toBe(
      `Created novakit-plugin-foo (an extension plugin) in ./novakit-plugin-foo:\n${files.map((file) => `  ${file}\n`).join("")}` +
        "\nNext:\n  cd ./novakit-plugin-foo\n  npm install\n  npm test\n  npm run typecheck\n" +
        "\nThe hooks, the test kit and the stability policy: docs/plugins.md in the Novakit repository.\n",
    );
    for (const file of files) expect(existsSync(join(cwd, "novakit-plugin-foo", file))).toBe(true);
    const index = await readFile(join(cwd, "novakit-plugin-foo", "src", "index.ts"), "utf8");
    expect(index).toContain('export const FOO_NAME = "novakit-plugin-foo";');
    expect(index).toContain("export const fooPlugin = definePlugin<FooOptions>({");
    expect(index).toContain("context.hooks.objectCreated.tap(context.pluginName,");
    expect(index).toContain("docs/plugins.md#objectcreated");
  });

  it("--json lists the files; a scoped name goes to ./NAME-without-scope", async () => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, ["new", "@acme/novakit-plugin-bar", "--kind", "scheduler", "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { name: string; kind: string; directory: string; files: string[]; nextSteps: string[] };
    const directory = join(cwd, "novakit-plugin-bar");
    expect(report).toEqual({
      name: "@acme/novakit-plugin-bar",
      kind: "scheduler",
      directory,
      files: [...BASE_FILES, "src/bar-policy.ts", "src/bar.test.ts"],
      nextSteps: ["cd ./novakit-plugin-bar", "npm install", "npm test", "npm run typecheck"],
    });
    const written = [...(await readdir(directory)), ...(await readdir(join(directory, "src"))).map((file) => `src/${file}`)].filter((entry) => entry !== "src");
    expect(written.sort()).toEqual([...report.files].sort());
    const manifest = JSON.parse(await readFile(join(directory, "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: "@acme/novakit-plugin-bar",
      version: "0.1.0",
      type: "module",
      exports: { ".": { "@novakit/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" } },
      peerDependencies: { "@novakit/kernel-core": "^0.1.0" },
      dependencies: { zod: "4.6.7" },
    });
  });

  it("--dir chooses the directory; an existing empty directory is fine", async () => {
    const cwd = await workDir();
    await mkdir(join(cwd, "plugins", "mine"), { recursive: true });
    const run = await runPlugin(cwd, ["new", "novakit-plugin-mine", "--dir", "plugins/mine", "--kind", "exporter"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("(an exporter plugin) in ./plugins/mine:");
    expect(await readFile(join(cwd, "plugins", "mine", "src", "index.ts"), "utf8")).toContain("context.hooks.fault.tap(");
  });

  it("--dir . fills the (empty) working directory, and then there is nothing to cd into", async () => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, ["new", "novakit-plugin-here", "--dir", ".", "--json"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ directory: cwd, nextSteps: ["npm install", "npm test", "npm run typecheck"] });
    expect(existsSync(join(cwd, "src", "here.test.ts"))).toBe(true);
  });

  it("generates standalone configurations outside the Novakit repository", async () => {
    const cwd = await workDir();
    await runPlugin(cwd, ["new", "novakit-plugin-alone"]);
    const dir = join(cwd, "novakit-plugin-alone");
    expect(await readFile(join(dir, "vitest.config.ts"), "utf8")).not.toContain("vitest.shared");
    expect(JSON.parse(await readFile(join(dir, "tsconfig.json"), "utf8"))).not.toHaveProperty("extends");
    expect(JSON.parse(await readFile(join(dir, "tsconfig.build.json"), "utf8"))).toMatchObject({ extends: "./tsconfig.json" });
  });

  it("refuses a non-empty directory (exit 2, NK-SCF-002) and leaves it alone", async () => {
    const cwd = await workDir();
    await mkdir(join(cwd, "taken"));
    await writeFile(join(cwd, "taken", "notes.txt"), "mine\n");
    const run = await runPlugin(cwd, ["new", "novakit-plugin-x", "--dir", "taken"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("is not empty (1 entry); refusing to overwrite [NK-SCF-002]");
    expect(await readdir(join(cwd, "taken"))).toEqual(["notes.txt"]);
  });

  it("refuses a --dir that is a file (exit 2, NK-SCF-003)", async () => {
    const cwd = await workDir();
    await writeFile(join(cwd, "file"), "");
    const run = await runPlugin(cwd, ["new", "novakit-plugin-x", "--dir", "file"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("exists and is not a directory [NK-SCF-003]");
  });

  it.each([
    ["Novakit-Plugin-Foo", "the name must be lowercase"],
    [".hidden", 'the name must not start with "."'],
    ["_private", 'the name must not start with "_"'],
    ["my plugin", "the name must not have leading or trailing spaces|the name may contain only URL-safe characters"],
    [" padded", "the name must not have leading or trailing spaces"],
    ["wow!", "the name must not contain any of ~'!()*"],
    ["@acme", 'a scoped name must have the form "@scope/name"'],
    ["@acme/a/b", 'a scoped name must have exactly one "/"'],
    ["@/foo", "the scope must not be empty"],
    ["@acme/", "the name must not be empty"],
    ["http", '"http" is a Node.js core module name'],
    ["node_modules", '"node_modules" is reserved by npm'],
    ["x".repeat(215), "the name must be at most 214 characters long"],
  ])("rejects %j naming the rule (exit 2, NK-SCF-001), and writes nothing", async (name, rule) => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, ["new", name]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^novakit: error: NAME: .* is not a valid npm package name: (${rule.replace(/[.*+?()[\]{}|^$\\]/g, (c) => (c === "|" ? c : `\\${c}`))}) \\[NK-SCF-001\\]`));
    expect(await readdir(cwd)).toEqual([]);
  });

  it("accepts dots, underscores and digits and makes valid identifiers of them", async () => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, ["new", "novakit-plugin-3d.viewer_x", "--json"]);
    expect(run.status).toBe(0);
    const index = await readFile(join(cwd, "novakit-plugin-3d.viewer_x", "src", "index.ts"), "utf8");
    expect(index).toContain("export const plugin3dViewerXPlugin = definePlugin<Plugin3dViewerXOptions>({");
  });

  it.each([
    [["new"], "plugin new: NAME is missing [NK-SCF-007]"],
    [["new", "novakit-plugin-x", "--kind", "gpu"], 'plugin new: unknown kind "gpu" [NK-SCF-005]'],
    [["new", "novakit-plugin-x", "--kind", "arch"], "there is no starting point for arch plugins"],
    [["new", "novakit-plugin-x", "--frobnicate"], "[NK-CLI-002]"],
    [["new", "a", "b"], 'plugin new: unexpected argument "b" [NK-CLI-003]'],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const cwd = await workDir();
    const run = await runPlugin(cwd, argv);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("--kind arch names the code and where to start instead", async () => {
    const run = await runPlugin(await workDir(), ["new", "novakit-plugin-x", "--kind", "arch"]);
    expect(run.stderr).toContain("[NK-SCF-006]\n  hint: start from packages/arch-x86_64 or packages/arch-aarch64");
  });
});
