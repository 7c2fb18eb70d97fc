import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { runCli } from "../cli.js";
import type { CliIo } from "../io/cli-io.js";

export const CLI_PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output, as a user would in `cwd`. */
export async function runIn(cwd: string, argv: readonly string[], env: Record<string, string> = {}, stdoutIsTty = false): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    env,
    stdoutIsTty,
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/**
 * A fresh project directory outside the repository whose node_modules links @novakit/cli, the
 * way `npm install @novakit/cli` would: a novakit.config.ts there can import defineConfig.
 */
export async function makeProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "novakit-cli-test-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, "node_modules", "@novakit"), { recursive: true });
  await symlink(CLI_PACKAGE_DIR, join(dir, "node_modules", "@novakit", "cli"), "dir");
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** A small valid configuration (short run, so boots stay fast); tests break one thing at a time. */
export function smallConfig(): Record<string, unknown> & { domains: Record<string, unknown>[] } {
  return {
    name: "small",
    arch: "x86_64",
    platform: "qemu-q35-amd-iommu",
    durationMs: 2,
    seed: 7,
    domains: [
      { name: "server", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [0], priority: 20, budgetMs: 1, workload: "ipc-server" },
      { name: "client", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [0], priority: 10, budgetMs: 1, workload: "ipc-client", workloadOptions: { server: "server" } },
      { name: "batch", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [1], priority: 10, budgetMs: 1, workload: "busy-loop" },
    ],
  };
}

/**
 * The CLI in a process of its own (the compiled bin, or its tsx fallback). For runs that load a
 * TypeScript configuration: tsx compiles it in Node's module-hooks thread through one long-lived
 * esbuild child, and in a test worker that serves many files that child has been seen to exit
 * under heavy load ("The service is no longer running"); a fresh process has a fresh one.
 */
export function runInProcess(cwd: string, argv: readonly string[]): Promise<CliRun> {
  const bin = join(CLI_PACKAGE_DIR, "bin", "novakit.js");
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...argv], { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : 2;
      resolve({ status, stdout, stderr });
    });
  });
}
