import { parseCommandArgs } from "../args/parse-command-args.js";
import { CLI_CODES } from "../args/cli-codes.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { NovakitError } from "@novakit/kernel-core";
import { resolve } from "node:path";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import type { CliIo } from "../io/cli-io.js";
import type { Command } from "./command.js";
import { junitReport } from "./junit-report.js";
import { MATRIX_PLUGIN_SETS, MATRIX_SCENARIOS, matrixCombinations, type MatrixCombination } from "./matrix-combinations.js";
import { runMatrix, shardOf } from "./matrix-run.js";

export const matrixCommand: Command = {
  name: "matrix",
  summary: "list the valid combinations of platform profile, plugin set and scenario (for CI matrices)",
  help: `Usage: novakit matrix [--json] [--rejected] [--format github]
       novakit matrix run [--jobs N] [--shard i/n] [--junit FILE] [--no-cache]

Enumerates every built-in platform profile (both architectures) x plugin set x scenario and checks
each combination as \`novakit check\` would (plugin constraints, CPU features, the CFP level, the
launch method, the devices a scenario needs). Prints the valid ones; --rejected adds the others
with the reason and diagnostic code.

Plugin sets: ${Object.keys(MATRIX_PLUGIN_SETS).join(", ")} (beyond the plugins added by default)
Scenarios:   ${MATRIX_SCENARIOS.join(", ")}

\`matrix run\` boots every valid combination, N at a time (each in its own novakit process), prints
a summary table, writes JUnit XML for CI systems with --junit, and exits 1 when any fails. A
combination that passed before with the same content (configuration and novakit version) is not
booted again: results are cached in node_modules/.cache/novakit-matrix, or $NOVAKIT_CACHE_DIR/novakit-matrix
(--no-cache ignores the cache).

Options:
  --json             print { combinations: [...] } (with --rejected: rejected ones too, with reason)
  --rejected         also list the combinations the constraints rule out, and why
  --format github    print a GitHub Actions strategy.matrix: { "include": [ {arch, platform, plugins, scenario} ] }
  --jobs N           run: boots at a time (default 1)
  --shard i/n        run: only the i-th of n interleaved slices (for parallel CI jobs)
  --junit FILE       run: write a JUnit XML report
  --no-cache         run: boot every combination, whatever the cache says
  -h, --help         show this help
`,
  async run(argv, io) {
    if (argv[0] === "run") return runCommand(argv.slice(1), io, this.help);
    const { values } = parseCommandArgs("matrix", argv, { json: { type: "boolean" }, rejected: { type: "boolean" }, format: { type: "string" } }, 0);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const format = values["format"];
    if (format !== undefined && format !== "github") {
      throw new NovakitError(CLI_CODES.badOptionValue, `matrix: --format expects "github", got "${String(format)}"`, { field: "--format" });
    }
    const combinations = await matrixCombinations(io.cwd);
    const valid = combinations.filter((combination) => combination.rejected === undefined);
    const shown = values["rejected"] === true ? combinations : valid;
    const key = (c: MatrixCombination) => ({ arch: c.arch, platform: c.platform, plugins: c.plugins, scenario: c.scenario });
    if (format === "github") {
      io.stdout(stableJsonText(toJsonValue({ include: valid.map(key) })));
      return 0;
    }
    if (values["json"] === true) {
      io.stdout(stableJsonText(toJsonValue({ combinations: shown.map((c) => ({ ...key(c), valid: c.rejected === undefined, ...(c.rejected ? { rejected: c.rejected } : {}) })) })));
      return 0;
    }
    const width = (pick: (c: MatrixCombination) => string) => Math.max(...shown.map((c) => pick(c).length));
    const widths = [width((c) => c.arch), width((c) => c.platform), width((c) => c.plugins), width((c) => c.scenario)];
    for (const c of shown) {
      const cells = [c.arch, c.platform, c.plugins, c.scenario].map((cell, index) => cell.padEnd(widths[index] ?? 0));
      io.stdout(`${`${cells.join("  ")}${c.rejected === undefined ? "" : `  rejected [${c.rejected.code}]: ${c.rejected.reason}`}`.trimEnd()}\n`);
    }
    io.stdout(`${valid.length} valid of ${combinations.length} combinations\n`);
    return 0;
  },
};

async function runCommand(argv: readonly string[], io: CliIo, help: string): Promise<number> {
  const { values } = parseCommandArgs(
    "matrix run",
    argv,
    { jobs: { type: "string" }, shard: { type: "string" }, junit: { type: "string" }, "no-cache": { type: "boolean" } },
    0,
  );
  if (values["help"] === true) {
    io.stdout(help);
    return 0;
  }
  const jobsText = typeof values["jobs"] === "string" ? values["jobs"] : "1";
  const jobs = Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    throw new NovakitError(CLI_CODES.badOptionValue, `matrix run: --jobs expects a whole number from 1 to 64, got "${jobsText}"`, { field: "--jobs" });
  }
  const combinations = (await matrixCombinations(io.cwd)).filter((combination) => combination.rejected === undefined);
  const selected = shardOf(combinations, typeof values["shard"] === "string" ? values["shard"] : undefined);
  const cacheRoot = io.env["NOVAKIT_CACHE_DIR"] ?? resolve(io.cwd, "node_modules/.cache");
  const cacheDir = values["no-cache"] === true ? undefined : resolve(cacheRoot, "novakit-matrix");
  const outcomes = await runMatrix(selected, {
    jobs,
    cacheDir,
    // a progress line only on a terminal; logs and CI get the summary alone
    ...(io.stdoutIsTty ? { onProgress: (done: number, total: number) => io.stdout(`\r[${done}/${total}] booting...`) } : {}),
  });
  if (io.stdoutIsTty) io.stdout("\r");
  const name = (c: MatrixCombination) => `${c.arch} ${c.platform} ${c.plugins} ${c.scenario}`;
  const width = Math.max(0, ...outcomes.map((outcome) => name(outcome.combination).length));
  for (const outcome of outcomes) {
    const time = outcome.status === "cached" ? "cached" : `${outcome.seconds.toFixed(2)} s`;
    io.stdout(`${outcome.status === "failed" ? "FAIL" : "ok  "}  ${name(outcome.combination).padEnd(width)}  ${time}\n`);
    if (outcome.failure !== undefined) io.stdout(`      ${outcome.failure.split("\n").join("\n      ")}\n`);
  }
  const failed = outcomes.filter((outcome) => outcome.status === "failed").length;
  const cached = outcomes.filter((outcome) => outcome.status === "cached").length;
  io.stdout(`${outcomes.length - failed} passed (${cached} cached), ${failed} failed\n`);
  const junit = values["junit"];
  if (typeof junit === "string") {
    const path = resolve(io.cwd, junit);
    await writeFileAtomic(
      path,
      junitReport(
        "novakit matrix",
        outcomes.map((outcome) => ({
          classname: `${outcome.combination.arch}.${outcome.combination.platform}`,
          name: `${outcome.combination.plugins}/${outcome.combination.scenario}`,
          seconds: outcome.seconds,
          ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
        })),
      ),
    );
    io.stdout(`wrote ${path}\n`);
  }
  return failed > 0 ? 1 : 0;
}
