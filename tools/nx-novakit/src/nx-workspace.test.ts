import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Nx itself on this workspace, with the plugin loaded from nx.json. Each call is a fresh `nx`
 * process with no daemon and its own cache and workspace-data folders, so a run neither reads
 * nor poisons the user's cache and is repeatable; the NX_* variables of an outer Nx run (npm
 * test runs this suite as an Nx task) are dropped so the inner one starts clean. The boot runs
 * the compiled CLI (packages/cli/dist, built by `npm ci`'s prepare step or `npm run build`);
 * --excludeTaskDependencies keeps this run from rebuilding it under the feet of the other
 * suites running next to it.
 */
const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));
const NX_BIN = join(WORKSPACE, "node_modules", "nx", "dist", "bin", "nx.js");
const EXAMPLES = ["aarch64-basic", "ai-host", "cet-full", "skinit-amd", "third-party-plugins", "two-domains", "txt-intel", "x86-basic", "x86-typescript"];

let scratch = "";
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "nx-novakit-nx-"));
});
afterAll(async () => {
  if (scratch !== "") await rm(scratch, { recursive: true, force: true });
});

interface NxRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function nx(args: readonly string[]): Promise<NxRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("NX_") && key !== "NODE_OPTIONS") env[key] = value;
  Object.assign(env, {
    NX_DAEMON: "false",
    NX_NO_CLOUD: "true",
    NX_TUI: "false",
    // plugins in the nx process itself: one process instead of one per plugin (3x faster here)
    NX_ISOLATE_PLUGINS: "false",
    NX_CACHE_DIRECTORY: join(scratch, "cache"),
    NX_WORKSPACE_DATA_DIRECTORY: join(scratch, "workspace-data"),
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  });
  return new Promise((resolve) => {
    execFile(process.execPath, [NX_BIN, ...args], { cwd: WORKSPACE, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

function lines(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

interface ShownProject {
  readonly tags: readonly string[];
  readonly implicitDependencies: readonly string[];
  readonly targets: Record<string, { readonly cache?: boolean; readonly configurations?: Record<string, unknown>; readonly defaultConfiguration?: string }>;
}

describe("the example configurations as Nx projects", () => {
  it("nx show projects lists every example (and no test or typecheck target is added to them)", async () => {
    const run = await nx(["show", "projects", "--with-target", "boot"]);
    expect(run.status).toBe(0);
    expect(lines(run.stdout).sort()).toEqual(EXAMPLES);
    const testable = await nx(["show", "projects", "--with-target", "test"]);
    expect(lines(testable.stdout).filter((name) => EXAMPLES.includes(name))).toEqual([]);
  });

  it("a portable example has check and boot with configurations x86_64 and aarch64; an AMD-only one just x86_64", async () => {
    const portable = JSON.parse((await nx(["show", "project", "two-domains", "--json"])).stdout) as ShownProject;
    for (const target of ["check", "boot"]) {
      expect(Object.keys(portable.targets[target]?.configurations ?? {})).toEqual(["x86_64", "aarch64"]);
      expect(portable.targets[target]?.defaultConfiguration).toBe("x86_64");
      expect(portable.targets[target]?.cache).toBe(true);
    }
    expect(portable.tags).toEqual(expect.arrayContaining(["arch:x86_64", "arch:aarch64"]));
    const amdOnly = JSON.parse((await nx(["show", "project", "ai-host", "--json"])).stdout) as ShownProject;
    for (const target of ["check", "boot"]) expect(Object.keys(amdOnly.targets[target]?.configurations ?? {})).toEqual(["x86_64"]);
    expect(amdOnly.tags).not.toContain("arch:aarch64");
    expect(amdOnly.implicitDependencies).toContain("@novakit/cli");
  });

  it("affected: an example's own file touches that example only; a kernel-core source touches them all", async () => {
    const one = await nx(["show", "projects", "--affected", "--files=examples/configs/ai-host/novakit.config.json"]);
    expect(one.status).toBe(0);
    expect(lines(one.stdout).filter((name) => EXAMPLES.includes(name))).toEqual(["ai-host"]);
    const core = await nx(["show", "projects", "--affected", "--files=packages/kernel-core/src/index.ts"]);
    expect(lines(core.stdout).filter((name) => EXAMPLES.includes(name)).sort()).toEqual(EXAMPLES);
  });

  it("nx run two-domains:boot:aarch64 boots on the aarch64 machine, and the second run is a cache hit", async () => {
    const args = ["run", "two-domains:boot:aarch64", "--excludeTaskDependencies", "--output-style=static"];
    const first = await nx(args);
    expect(first.stderr + first.stdout).not.toContain("[local cache]");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("two-domains (seed 1) on qemu-virt-gicv3");
    const second = await nx(args);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/\[local cache\]|existing outputs match the cache/);
    expect(second.stdout).toContain("two-domains (seed 1) on qemu-virt-gicv3");
  });

  it("the CI job's selection: -c aarch64 with the arch tag runs exactly the aarch64 configurations", async () => {
    const run = await nx(["run-many", "-t", "check", "boot", "-c", "aarch64", "--exclude=*,!tag:arch:aarch64", "--graph=stdout"]);
    expect(run.status).toBe(0);
    const graph = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { tasks: { tasks: Record<string, unknown> } };
    const exampleTasks = Object.keys(graph.tasks.tasks).filter((id) => EXAMPLES.includes(id.split(":")[0] ?? ""));
    expect(exampleTasks.sort()).toEqual(["aarch64-basic", "two-domains", "x86-basic"].flatMap((name) => [`${name}:boot:aarch64`, `${name}:check:aarch64`]));
    expect(Object.keys(graph.tasks.tasks)).toContain("@novakit/cli:build");
  });
});
