import { performance } from "node:perf_hooks";
import { isNovakitError } from "@novakit/kernel-core";
import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";
import type { FuzzTarget } from "../fuzz-target.js";
import { REGRESSIONS_DIRECTORY } from "../regressions/regression-store.js";
import { vitestJsonReport, writeVitestJsonReport } from "../report/vitest-json-report.js";
import { readCorpusDirectory, saveCorpusInputs } from "../runner/corpus-directory.js";
import { runFuzzTarget, type FuzzRunSummary } from "../runner/run-target.js";
import { FUZZ_TARGETS, findTarget } from "../targets/target-registry.js";
import { FUZZ_USAGE, parseFuzzArguments, type FuzzCliOptions } from "./fuzz-cli-options.js";
import { formatProgress, formatSummary, formatTargetList, summaryJson } from "./format-summary.js";

/** Where the fuzz CLI writes; a terminal gets a progress line rewritten in place. */
export interface FuzzCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** set on a terminal: rewrites the progress line ("" clears it) */
  progress?(line: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** `npm run fuzz -- …` as a function: returns the exit status (0 clean, 1 findings, 2 usage). */
export async function runFuzzCli(argv: readonly string[], io: FuzzCliIo, targets: readonly FuzzTarget[] = FUZZ_TARGETS): Promise<number> {
  try {
    const options = parseFuzzArguments(argv);
    if (options.help) {
      io.stdout(`${FUZZ_USAGE}\n`);
      return EXIT_OK;
    }
    if (options.list) {
      io.stdout(`${formatTargetList(targets)}\n`);
      return EXIT_OK;
    }
    const selected = selectTargets(options, targets);
    const startTime = Math.round(performance.timeOrigin + performance.now());
    const summaries: FuzzRunSummary[] = [];
    for (const target of selected) {
      const summary = await runOne(target, options, io);
      summaries.push(summary);
      if (!options.json) io.stdout(`${formatSummary(summary)}\n`);
    }
    if (options.json) io.stdout(`${JSON.stringify(summaries.map(summaryJson), null, 2)}\n`);
    if (options.report !== undefined) writeVitestJsonReport(options.report, vitestJsonReport(summaries, startTime));
    const findings = summaries.reduce((sum, summary) => sum + summary.findings.length, 0);
    if (!options.json) {
      const iterations = summaries.reduce((sum, summary) => sum + summary.iterations, 0);
      io.stdout(`fuzz: ${summaries.length} target(s), ${iterations} iterations, ${findings} finding(s)\n`);
    }
    return findings === 0 ? EXIT_OK : EXIT_FINDINGS;
  } catch (error) {
    io.progress?.("");
    if (isNovakitError(error)) {
      io.stderr(`fuzz: error: ${error.describe()}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function selectTargets(options: FuzzCliOptions, targets: readonly FuzzTarget[]): FuzzTarget[] {
  if (options.all) return [...targets];
  return options.targets.map((name) => {
    const target = findTarget(name, targets);
    if (target === undefined) {
      throw fuzzError(FuzzDiagnostic.UNKNOWN_TARGET, `no fuzz target named ${JSON.stringify(name)}`, { field: "--target" }, `targets: ${targets.map((known) => known.name).join(", ")}`);
    }
    return target;
  });
}

async function runOne(target: FuzzTarget, options: FuzzCliOptions, io: FuzzCliIo): Promise<FuzzRunSummary> {
  const extraInputs = options.corpus === undefined ? [] : readCorpusDirectory(options.corpus, target.name);
  const progress = io.progress;
  const summary = await runFuzzTarget(target, {
    seed: options.seed,
    ...(options.iterations === undefined ? {} : { iterations: options.iterations }),
    ...(options.seconds === undefined ? {} : { seconds: options.seconds }),
    extraInputs,
    ...(options.save ? { regressionDirectory: options.regressions ?? REGRESSIONS_DIRECTORY } : {}),
    ...(progress === undefined ? {} : { onProgress: (state) => progress(formatProgress(state)) }),
  });
  progress?.("");
  if (options.corpus !== undefined) saveCorpusInputs(options.corpus, target.name, summary.discovered);
  return summary;
}
