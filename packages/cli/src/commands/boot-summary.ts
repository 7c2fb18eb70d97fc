import type { BootResult } from "@novakit/kernel-core";

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd()).join("\n");
}

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

/** The human summary after the boot log: one row per domain, then totals and faults. */
export function bootSummary(result: BootResult): string {
  const totalNs = result.stats.simulatedNs;
  const rows: string[][] = [["domain", "pd", "ECs", "CPU ms", "share", "round trips", "results"]];
  for (const domain of result.domains) {
    const usedNs = domain.scUsedNs.reduce((sum, ns) => sum + ns, 0);
    const roundTrips = domain.results["roundTrips"];
    const others = Object.entries(domain.results)
      .filter(([key]) => key !== "roundTrips")
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(" ");
    rows.push([
      domain.name,
      String(domain.pd),
      String(domain.ecs),
      ms(usedNs),
      totalNs > 0 ? `${((usedNs / totalNs) * 100).toFixed(1)}%` : "-",
      roundTrips === undefined ? "-" : String(roundTrips),
      others,
    ]);
  }
  const lines = [
    table(rows),
    "",
    `simulated ${ms(totalNs)} ms, ${result.stats.hypercalls} hypercalls, ${result.stats.ipcCalls} IPC calls, ${result.stats.contextSwitches} context switches, ${result.stats.objects} objects`,
    `plugins: ${result.plugins.map((plugin) => `${plugin.name}@${plugin.version}`).join(", ")}`,
    `faults: ${result.faults.length}`,
    ...result.faults.map((fault) => `  ${fault.kind} at ${fault.timeNs} ns${fault.domain ? ` in ${fault.domain}` : ""}: ${fault.detail}`),
  ];
  return `${lines.join("\n")}\n`;
}
