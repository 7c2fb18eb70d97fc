import { performance } from "node:perf_hooks";
import { SeededRandom } from "@novakit/kernel-core";
import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";
import type { FuzzTarget } from "../fuzz-target.js";
import { minimiseFinding } from "../minimise/minimise-finding.js";
import { structureOf } from "../mutate/input-structure.js";
import { Mutator } from "../mutate/mutator.js";
import { pickOne } from "../mutate/random-choice.js";
import { saveRegression } from "../regressions/regression-store.js";
import { Corpus } from "./corpus.js";
import type { FindingSignature } from "./finding-signature.js";
import { executeInput, guidanceKey, histogramKey, type Outcome } from "./outcome.js";

export interface FuzzRunOptions {
  readonly seed: number;
  /** mutants to run (the seeds themselves are run first and not counted) */
  readonly iterations?: number;
  /** or: run mutants until this much wall time has passed; with both, whichever ends first */
  readonly seconds?: number;
  /** more starting inputs, e.g. a --corpus folder */
  readonly extraInputs?: readonly Uint8Array[];
  /** where to save minimised findings (`<dir>/<target>/<sha>.bin`); undefined = do not save */
  readonly regressionDirectory?: string;
  /** ddmin budget per distinct finding: predicate calls (default 5000) and seconds (default 60) */
  readonly minimiseTests?: number;
  readonly minimiseSeconds?: number;
  /** called about four times a second */
  readonly onProgress?: (progress: FuzzProgress) => void;
  /** milliseconds; injectable so tests need no real time. Default performance.now */
  readonly clock?: () => number;
}

export interface FuzzProgress {
  readonly target: string;
  readonly iterations: number;
  readonly plannedIterations?: number;
  readonly elapsedMs: number;
  readonly findings: number;
  readonly corpusSize: number;
}

export interface FuzzFinding {
  readonly signature: FindingSignature;
  /** the first input that threw it, and the iteration (-1: a seed) */
  readonly input: Uint8Array;
  readonly iteration: number;
  /** how many inputs threw it */
  readonly count: number;
  readonly stack: string;
  readonly minimised: Uint8Array;
  readonly minimiseComplete: boolean;
  /** the saved .bin, when a regression directory was given */
  readonly regressionPath?: string;
}

export interface FuzzRunSummary {
  readonly target: string;
  readonly seed: number;
  readonly iterations: number;
  /** outcome → count over seeds and mutants: "accepted", diagnostic codes, "finding <Error>" */
  readonly outcomes: ReadonlyMap<string, number>;
  readonly findings: readonly FuzzFinding[];
  readonly seedCount: number;
  readonly corpusSize: number;
  /** the mutants the outcome guidance kept */
  readonly discovered: readonly Uint8Array[];
  readonly elapsedMs: number;
  readonly execPerSecond: number;
}

/** a corpus beyond this is not worth its memory: guidance keys are a few hundred at most */
const CORPUS_CAPACITY = 1_024;
const PROGRESS_INTERVAL_MS = 250;
/** at most this many distinct findings are minimised per run (each can cost thousands of runs) */
const MAX_MINIMISED_FINDINGS = 20;
/** a slow target (the hypercall fuzzer boots a kernel per input) must not minimise for hours */
const DEFAULT_MINIMISE_SECONDS = 60;

interface FindingRecord {
  readonly signature: FindingSignature;
  readonly input: Uint8Array;
  readonly iteration: number;
  readonly stack: string;
  count: number;
}

/**
 * Mutation-based, outcome-guided fuzzing of one target. Deterministic: the same target, seed and
 * iteration count give the same mutants, the same outcome histogram and the same findings (the
 * PRNG stream is derived from the seed and the target's name, so --all gives each target its own).
 */
export async function runFuzzTarget(target: FuzzTarget, options: FuzzRunOptions): Promise<FuzzRunSummary> {
  const clock = options.clock ?? (() => performance.now());
  const seeds = [...target.seeds(), ...(options.extraInputs ?? [])];
  if (seeds.length === 0) {
    throw fuzzError(FuzzDiagnostic.NO_SEEDS, `target ${target.name} has no seed inputs`, { field: target.name }, "a target's seeds() must return at least one real input");
  }
  const random = new SeededRandom(streamSeed(options.seed, target.name));
  const largestSeed = seeds.reduce((max, seed) => Math.max(max, seed.length), 0);
  const mutator = new Mutator(structureOf(target), Math.max(4_096, 2 * largestSeed));
  const corpus = new Corpus(seeds, CORPUS_CAPACITY + seeds.length);
  const outcomes = new Map<string, number>();
  const findings = new Map<string, FindingRecord>();
  const record = (input: Uint8Array, outcome: Outcome, iteration: number): void => {
    const key = histogramKey(outcome);
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    if (outcome.kind !== "finding") return;
    const existing = findings.get(outcome.signature.key);
    if (existing !== undefined) existing.count++;
    else {
      const stack = outcome.thrown instanceof Error ? (outcome.thrown.stack ?? "") : String(outcome.thrown);
      findings.set(outcome.signature.key, { signature: outcome.signature, input, iteration, stack, count: 1 });
    }
  };

  const start = clock();
  for (const seed of seeds) {
    const outcome = await executeInput(target, seed);
    record(seed, outcome, -1);
    corpus.noteSeedOutcome(guidanceKey(outcome));
  }

  const deadline = options.seconds === undefined ? Number.POSITIVE_INFINITY : start + options.seconds * 1_000;
  const planned = options.iterations ?? (options.seconds === undefined ? 0 : Number.POSITIVE_INFINITY);
  let iterations = 0;
  let nextProgress = start + PROGRESS_INTERVAL_MS;
  while (iterations < planned) {
    const now = clock();
    if (now >= deadline) break;
    if (options.onProgress !== undefined && now >= nextProgress) {
      nextProgress = now + PROGRESS_INTERVAL_MS;
      options.onProgress({
        target: target.name,
        iterations,
        ...(Number.isFinite(planned) ? { plannedIterations: planned } : {}),
        elapsedMs: now - start,
        findings: findings.size,
        corpusSize: corpus.size,
      });
    }
    const mutant = mutator.mutate(pickOne(random, corpus.entries), corpus.entries, random);
    const outcome = await executeInput(target, mutant);
    record(mutant, outcome, iterations);
    corpus.offer(mutant, guidanceKey(outcome));
    iterations++;
  }
  const elapsedMs = clock() - start;

  const minimised: FuzzFinding[] = [];
  for (const finding of [...findings.values()].slice(0, MAX_MINIMISED_FINDINGS)) {
    const minimiseDeadline = clock() + (options.minimiseSeconds ?? DEFAULT_MINIMISE_SECONDS) * 1_000;
    const result = await minimiseFinding(target, finding.input, finding.signature.key, {
      ...(options.minimiseTests === undefined ? {} : { maxTests: options.minimiseTests }),
      outOfTime: () => clock() >= minimiseDeadline,
    });
    const regressionPath =
      options.regressionDirectory === undefined
        ? undefined
        : saveRegression(options.regressionDirectory, target.name, result.minimised, describeFinding(target.name, options.seed, finding, result.minimised.length));
    minimised.push({
      signature: finding.signature,
      input: finding.input,
      iteration: finding.iteration,
      count: finding.count,
      stack: finding.stack,
      minimised: result.minimised,
      minimiseComplete: result.complete,
      ...(regressionPath === undefined ? {} : { regressionPath }),
    });
  }

  return {
    target: target.name,
    seed: options.seed,
    iterations,
    outcomes,
    findings: minimised,
    seedCount: seeds.length,
    corpusSize: corpus.size,
    discovered: corpus.discovered,
    elapsedMs,
    execPerSecond: elapsedMs > 0 ? ((iterations + seeds.length) * 1_000) / elapsedMs : 0,
  };
}

/** FNV-1a of the target name mixed into the seed: one independent PRNG stream per target */
export function streamSeed(seed: number, targetName: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < targetName.length; index++) {
    hash = Math.imul(hash ^ targetName.charCodeAt(index), 0x01000193) >>> 0;
  }
  return (hash ^ seed) >>> 0;
}

function describeFinding(target: string, seed: number, finding: FindingRecord, minimisedLength: number): string {
  return [
    `target: ${target}`,
    `found by: npm run fuzz -- --target ${target} --seed ${seed} (${finding.iteration < 0 ? "a seed input" : `iteration ${finding.iteration}`})`,
    `thrown: ${finding.signature.errorName}: ${finding.signature.message}`,
    `first frame: ${finding.signature.firstFrame || "(none)"}`,
    `input: ${finding.input.length} bytes, minimised to ${minimisedLength}`,
    "",
    finding.stack,
  ].join("\n");
}
