import type { SweepSummary } from "./exhaustion-sweep.js";

/** One test per scenario (config x injected allocation), as CI's vitest-json tally reads it. */
export interface VitestJsonSummary {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly success: boolean;
}

export function vitestSummary(summaries: readonly SweepSummary[]): VitestJsonSummary {
  const total = summaries.reduce((sum, summary) => sum + summary.injected, 0);
  const failed = summaries.reduce((sum, summary) => sum + summary.findings.length, 0);
  return { numTotalTests: total, numPassedTests: total - failed, numFailedTests: failed, success: failed === 0 };
}

/** The human table: config, allocations, sites, injected, clean failures by status/code, leaks, unhandled. */
export function formatSweepTable(summaries: readonly SweepSummary[]): string {
  const header = ["config", "allocations", "sites", "injected", "clean failures (by status/code)", "leaks", "silent", "unhandled"];
  const rows = summaries.map((summary) => [
    summary.config,
    String(summary.allocations),
    String(summary.sites.length),
    `${summary.injected}${summary.sampled ? " (sampled)" : " (all)"}`,
    Object.entries(summary.cleanByOutcome)
      .map(([key, count]) => `${key}: ${count}`)
      .join("; "),
    String(summary.leaks),
    String(summary.silent),
    String(summary.unhandled),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const out = [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
  for (const summary of summaries) {
    out.push("", `${summary.config}: sites ${summary.sites.map((site) => `${site.site} x${site.count}`).join(", ")}`);
    for (const finding of summary.findings) {
      const what = finding.outcome.kind === "unhandled" ? finding.outcome.message : finding.outcome.kind;
      out.push(`  UNCLEAN k=${finding.k} (${finding.site}): ${what}${finding.leaks.length > 0 ? `; leaks: ${finding.leaks.map((leak) => leak.detail).join(" | ")}` : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}
