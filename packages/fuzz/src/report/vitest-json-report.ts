import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";
import type { FuzzRunSummary } from "../runner/run-target.js";

export interface VitestAssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly fullName: string;
  readonly title: string;
  readonly status: "passed" | "failed";
  readonly duration: number;
  readonly failureMessages: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * The subset of vitest's JSON reporter output that CI reads (.ci/run adds up numPassedTests and
 * numFailedTests of every JSON file in its report directory): one "test" per fuzz target,
 * passed when the target had no finding. `meta` carries the run's figures.
 */
export interface VitestJsonReport {
  readonly numTotalTestSuites: number;
  readonly numPassedTestSuites: number;
  readonly numFailedTestSuites: number;
  readonly numPendingTestSuites: number;
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly success: boolean;
  readonly startTime: number;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: "passed" | "failed";
    readonly message: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly assertionResults: readonly VitestAssertionResult[];
  }[];
}

export function vitestJsonReport(summaries: readonly FuzzRunSummary[], startTime: number): VitestJsonReport {
  const assertions: VitestAssertionResult[] = summaries.map((summary) => {
    const title = `${summary.target}: ${summary.iterations} iterations at seed ${summary.seed}, no unhandled exception`;
    return {
      ancestorTitles: ["fuzz"],
      fullName: `fuzz ${title}`,
      title,
      status: summary.findings.length === 0 ? "passed" : "failed",
      duration: Math.round(summary.elapsedMs),
      failureMessages: summary.findings.map(
        (finding) => `${finding.signature.errorName}: ${finding.signature.message} (${finding.count}×, minimised to ${finding.minimised.length} bytes${finding.regressionPath === undefined ? "" : `: ${finding.regressionPath}`})`,
      ),
      meta: {
        target: summary.target,
        seed: summary.seed,
        iterations: summary.iterations,
        execPerSecond: Math.round(summary.execPerSecond),
        outcomes: Object.fromEntries([...summary.outcomes].sort(([a], [b]) => a.localeCompare(b))),
      },
    };
  });
  const failed = assertions.filter((assertion) => assertion.status === "failed").length;
  const elapsed = summaries.reduce((sum, summary) => sum + summary.elapsedMs, 0);
  return {
    numTotalTestSuites: 1,
    numPassedTestSuites: failed === 0 ? 1 : 0,
    numFailedTestSuites: failed === 0 ? 0 : 1,
    numPendingTestSuites: 0,
    numTotalTests: assertions.length,
    numPassedTests: assertions.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTodoTests: 0,
    success: failed === 0,
    startTime,
    testResults: [
      {
        name: "npm run fuzz",
        status: failed === 0 ? "passed" : "failed",
        message: failed === 0 ? "" : `${failed} target(s) with findings`,
        startTime,
        endTime: startTime + Math.round(elapsed),
        assertionResults: assertions,
      },
    ],
  };
}

export function writeVitestJsonReport(path: string, report: VitestJsonReport): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw fuzzError(FuzzDiagnostic.WRITE_FAILED, `cannot write the report: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
}
