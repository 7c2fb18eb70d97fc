import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { contentHash } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import type { MatrixCombination } from "./matrix-combinations.js";

/** What one combination's boot came to. */
export interface MatrixOutcome {
  readonly combination: MatrixCombination;
  readonly status: "passed" | "failed" | "cached";
  readonly seconds: number;
  /** the first lines of the boot's error output, when it failed */
  readonly failure?: string;
}

/** `--shard i/n`: the i-th of n interleaved slices (1-based), so shards get a mix of heavy and light runs. */
export function shardOf<T>(items: readonly T[], shard: string | undefined): T[] {
  if (shard === undefined) return [...items];
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  const index = match ? Number(match[1]) : 0;
  const count = match ? Number(match[2]) : 0;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new NovakitError(CLI_CODES.badOptionValue, `matrix run: --shard expects i/n with 1 <= i <= n, got "${shard}"`, { field: "--shard" });
  }
  return items.filter((_, position) => position % count === index - 1);
}

/** the CLI's own entry point and version: each combination boots in a child process of it */
const BIN = fileURLToPath(new URL("../../bin/novakit.js", import.meta.url));
const PACKAGE_JSON = new URL("../../package.json", import.meta.url);

/**
 * Boots every combination, `jobs` at a time, each in its own `novakit boot` process (a crash or a
 * hang of one cannot take the others down, and several cores are used). A combination that passed
 * before with the same content (its configuration and this novakit's version) is not booted again:
 * the cache lives in `cacheDir`, one file per content hash.
 */
export async function runMatrix(
  combinations: readonly MatrixCombination[],
  options: { readonly jobs: number; readonly cacheDir: string | undefined; readonly onProgress?: (done: number, total: number) => void },
): Promise<MatrixOutcome[]> {
  const version = (JSON.parse(await readFile(PACKAGE_JSON, "utf8")) as { version: string }).version;
  const work = await mkdtemp(join(tmpdir(), "novakit-matrix-"));
  const outcomes: MatrixOutcome[] = new Array<MatrixOutcome>(combinations.length);
  let next = 0;
  let done = 0;
  try {
    if (options.cacheDir !== undefined) await mkdir(options.cacheDir, { recursive: true });
    const worker = async (): Promise<void> => {
      for (;;) {
        const position = next++;
        const combination = combinations[position];
        if (combination === undefined) return;
        outcomes[position] = await runOne(combination, version, work, options.cacheDir);
        done += 1;
        options.onProgress?.(done, combinations.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, () => worker()));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return outcomes;
}

async function runOne(combination: MatrixCombination, version: string, work: string, cacheDir: string | undefined): Promise<MatrixOutcome> {
  const config = combination.config;
  if (config === undefined) return { combination, status: "failed", seconds: 0, failure: "no configuration (the combination is not valid)" };
  const key = contentHash(toJsonValue({ novakit: version, config })).replace(/^sha256:/, "");
  const cached = cacheDir === undefined ? undefined : join(cacheDir, `${key}.json`);
  if (cached !== undefined) {
    const hit = await readFile(cached, "utf8").then(
      (text) => JSON.parse(text) as { status?: string; seconds?: number },
      () => undefined,
    );
    if (hit?.status === "passed") return { combination, status: "cached", seconds: 0 };
  }
  const file = join(work, `${key}.json`);
  await writeFile(file, JSON.stringify(config));
  const started = process.hrtime.bigint();
  const { status, stderr } = await bootProcess(file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status !== 0) return { combination, status: "failed", seconds, failure: stderr.trim() || `novakit boot exited with status ${status}` };
  if (cached !== undefined) await writeFile(cached, JSON.stringify({ status: "passed", seconds }));
  return { combination, status: "passed", seconds };
}

function bootProcess(file: string): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "boot", file, "--quiet"], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => resolve({ status: 2, stderr: error.message }));
    child.on("close", (code) => resolve({ status: code ?? 2, stderr }));
  });
}
