import { matrixCombinations, runMatrix } from "@novakit/cli";
import { result, type BenchResult } from "./bench-result.js";

/**
 * matrix.all (bench/README.md): boot every valid built-in combination of platform profile x
 * plugin set x scenario (`novakit matrix run`, no cache), with one boot process at a time and
 * with two; ops = combinations booted.
 */
export const MATRIX_ALL_BENCHES = ["matrix.all.jobs1", "matrix.all.jobs2"] as const;

export async function matrixAllBench(jobs: 1 | 2): Promise<BenchResult> {
  const valid = (await matrixCombinations(process.cwd())).filter((combination) => combination.rejected === undefined);
  const start = process.hrtime.bigint();
  const outcomes = await runMatrix(valid, { jobs, cacheDir: undefined });
  const elapsed = process.hrtime.bigint() - start;
  const failed = outcomes.filter((outcome) => outcome.status === "failed");
  if (failed.length > 0) throw new Error(`matrix.all: ${failed.length} of ${valid.length} combinations failed to boot`);
  return result(`matrix.all.jobs${jobs}`, valid.length, elapsed, `${valid.length} valid combinations, --jobs ${jobs}, no cache`);
}
