import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { result, type BenchResult } from "./bench-result.js";

/**
 * cli.help (bench/README.md): `node packages/cli/bin/novakit.js --help` spawned `runs` times one
 * after the other, the compiled CLI as users start it; ops = processes, so ops/s is the inverse of
 * the mean wall-clock time of a whole invocation (Node's own start-up included).
 */
export const CLI_HELP_BENCH = "cli.help";

const NOVAKIT_BIN = fileURLToPath(new URL("../packages/cli/bin/novakit.js", import.meta.url));

export async function cliHelpBench(runs: number): Promise<BenchResult> {
  let slowest = 0n;
  const start = process.hrtime.bigint();
  for (let run = 0; run < runs; run++) {
    const before = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [NOVAKIT_BIN, "--help"], { encoding: "utf8" });
    const took = process.hrtime.bigint() - before;
    if (took > slowest) slowest = took;
    if (child.status !== 0 || !child.stdout.startsWith("Usage: novakit")) {
      throw new Error(`cli.help: novakit --help exited with ${String(child.status)}: ${child.stderr}`);
    }
  }
  const elapsed = process.hrtime.bigint() - start;
  return result(CLI_HELP_BENCH, runs, elapsed, `${runs} processes, slowest ${(Number(slowest) / 1e6).toFixed(0)} ms`);
}
