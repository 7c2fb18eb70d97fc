import type { FuzzTarget } from "../fuzz-target.js";
import type { FuzzProgress, FuzzRunSummary } from "../runner/run-target.js";

/** "acpi-table: 20000 iterations, 0 findings, 4 123 exec/s" and the outcome histogram below it. */
export function formatSummary(summary: FuzzRunSummary): string {
  const lines = [
    `${summary.target}: ${summary.iterations} iterations (+${summary.seedCount} seeds) at seed ${summary.seed}, ` +
      `${summary.findings.length} finding${summary.findings.length === 1 ? "" : "s"}, ${Math.round(summary.execPerSecond)} exec/s, ` +
      `${(summary.elapsedMs / 1000).toFixed(1)} s, corpus ${summary.corpusSize}`,
  ];
  const outcomes = [...summary.outcomes].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  lines.push(`  outcomes (${outcomes.length} distinct): ${outcomes.map(([key, count]) => `${key} ${count}`).join(", ")}`);
  for (const finding of summary.findings) {
    lines.push(`  FINDING ${finding.signature.errorName}: ${finding.signature.message}`);
    lines.push(`    at ${finding.signature.firstFrame || "(no stack)"}; ${finding.count} input(s); first at ${finding.iteration < 0 ? "a seed" : `iteration ${finding.iteration}`}`);
    lines.push(`    minimised ${finding.input.length} -> ${finding.minimised.length} bytes${finding.minimiseComplete ? "" : " (budget spent)"}${finding.regressionPath === undefined ? "" : `, saved ${finding.regressionPath}`}`);
  }
  return lines.join("\n");
}

/** the one line rewritten in place on a terminal while a target runs */
export function formatProgress(progress: FuzzProgress): string {
  const of = progress.plannedIterations === undefined ? "" : `/${progress.plannedIterations}`;
  const rate = progress.elapsedMs > 0 ? Math.round((progress.iterations * 1000) / progress.elapsedMs) : 0;
  return `${progress.target}: ${progress.iterations}${of} iterations, ${rate} exec/s, ${progress.findings} findings, corpus ${progress.corpusSize}`;
}

export function formatTargetList(targets: readonly FuzzTarget[]): string {
  const width = Math.max(...targets.map((target) => target.name.length));
  return targets.map((target) => `${target.name.padEnd(width)}  ${target.description}`).join("\n");
}

/** the JSON form of a summary (--json): Maps as objects, inputs as base64 */
export function summaryJson(summary: FuzzRunSummary): Record<string, unknown> {
  return {
    target: summary.target,
    seed: summary.seed,
    iterations: summary.iterations,
    seeds: summary.seedCount,
    corpusSize: summary.corpusSize,
    elapsedMs: Math.round(summary.elapsedMs),
    execPerSecond: Math.round(summary.execPerSecond),
    outcomes: Object.fromEntries([...summary.outcomes].sort(([a], [b]) => a.localeCompare(b))),
    findings: summary.findings.map((finding) => ({
      error: finding.signature.errorName,
      message: finding.signature.message,
      firstFrame: finding.signature.firstFrame,
      count: finding.count,
      iteration: finding.iteration,
      inputBytes: finding.input.length,
      minimised: Buffer.from(finding.minimised).toString("base64"),
      ...(finding.regressionPath === undefined ? {} : { regression: finding.regressionPath }),
    })),
  };
}
