import type { BootResult } from "@novakit/kernel-core";
import { dmaIsolationSummary } from "./dma-isolation-summary.js";
import { measuredLaunchSummary } from "./measured-launch-summary.js";

/** results the DMA section reports (hashes, DMA totals, the attack's breakdown): kept out of the table */
const DMA_SECTION_RESULT = /^(memory(Sha256|Intact|FramesChangedByOthers)|dma[A-Z]|(victimHost|victimGuest|kernel|unmapped)(Attempts|Aborted)$)/;
/** fault lines printed one by one; a DMA attack makes thousands (`boot --json` has them all) */
const FAULT_LINES_SHOWN = 8;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  // names and the free-form results column read left to right; numbers line up on the right
  const left = (column: number, row: readonly string[]) => column === 0 || column === row.length - 1;
  return rows
    .map((row) => row.map((cell, column) => (left(column, row) ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd())
    .join("\n");
}

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

/**
 * The human summary after the boot log: one row per domain, the DMA isolation section when
 * domains have devices (dma-isolation-summary.ts), the measured launch when there was one
 * (measured-launch-summary.ts), then totals and faults (counted by kind; the
 * first few listed).
 */
export function bootSummary(result: BootResult): string {
  const totalNs = result.stats.simulatedNs;
  const rows: string[][] = [["domain", "pd", "ECs", "CPU ms", "share", "round trips", "results"]];
  for (const domain of result.domains) {
    const usedNs = domain.scUsedNs.reduce((sum, ns) => sum + ns, 0);
    const roundTrips = domain.results["roundTrips"];
    const others = Object.entries(domain.results)
      .filter(([key]) => key !== "roundTrips" && !DMA_SECTION_RESULT.test(key))
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
    ...dmaIsolationSummary(result),
    ...measuredLaunchSummary(result),
    "",
    `simulated ${ms(totalNs)} ms, ${result.stats.hypercalls} hypercalls, ${result.stats.ipcCalls} IPC calls, ${result.stats.contextSwitches} context switches, ${result.stats.objects} objects`,
    `plugins: ${result.plugins.map((plugin) => `${plugin.name}@${plugin.version}`).join(", ")}`,
    `faults: ${result.faults.length}${faultKinds(result)}`,
    ...result.faults.slice(0, FAULT_LINES_SHOWN).map((fault) => `  ${fault.kind} at ${fault.timeNs} ns${fault.domain ? ` in ${domainLabel(result, fault.domain)}` : ""}: ${fault.detail}`),
    ...(result.faults.length > FAULT_LINES_SHOWN ? [`  ... ${result.faults.length - FAULT_LINES_SHOWN} more (boot --json lists them all)`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** " (dma 3709, exception 1)" */
function faultKinds(result: BootResult): string {
  const kinds = new Map<string, number>();
  for (const fault of result.faults) kinds.set(fault.kind, (kinds.get(fault.kind) ?? 0) + 1);
  return kinds.size === 0 ? "" : ` (${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(", ")})`;
}

/** "tenant-b (PD 259)" for the "PD 259" an IOMMU plugin knows, when that PD is a domain's */
function domainLabel(result: BootResult, domain: string): string {
  const match = /^PD (\d+)$/.exec(domain);
  const named = match === null ? undefined : result.domains.find((candidate) => candidate.pd === Number(match[1]));
  return named === undefined ? domain : `${named.name} (${domain})`;
}
