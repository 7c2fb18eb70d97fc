import type { DomainReport } from "@novakit/kernel-core";
import { escapeHtml } from "./html-escape.js";
import { code, htmlTable } from "./html-table.js";
import { byteSize, hex, simulatedTime, plural } from "./report-format.js";
import type { ReportData } from "./report-model.js";

/** The summary: cards (domains, simulated time, DMA isolation verdict, faults, PCRs against the prediction), the domain table, isolation violations. */
export function summarySection(data: ReportData): string {
  const { stats } = data.header;
  const isolation = data.isolation;
  const pcrMismatches = data.measurements?.pcrs.filter((row) => row.predicted !== undefined && row.predicted !== row.measured).length ?? 0;
  const cards = [
    card(String(data.domains.length), "domains", undefined),
    card(simulatedTime(stats.simulatedNs), `simulated; ${stats.hypercalls} hypercalls, ${stats.contextSwitches} context switches`, undefined),
    card(isolation.ok ? "isolated" : "NOT ISOLATED", `DMA: ${plural(isolation.devices.length, "device")}, ${plural(isolation.violations.length, "violation")}`, isolation.ok ? "ok" : "bad"),
    card(String(data.faults.faults.length), "faults", undefined),
    data.measurements === undefined
      ? card("none", "measured launch", undefined)
      : card(pcrMismatches === 0 ? "as predicted" : `${pcrMismatches} differ`, `PCR 17/18/19 vs novakit measure`, pcrMismatches === 0 ? "ok" : "bad"),
  ];
  const domainTable = htmlTable<DomainReport>({
    className: "domains",
    rowClass: "domain-row",
    rowData: (domain) => ({ pd: String(domain.pd) }),
    columns: [
      { header: "domain", cell: (domain) => domain.name },
      { header: "PD", cell: (domain) => String(domain.pd), numeric: true },
      { header: "ECs", cell: (domain) => String(domain.ecs), numeric: true },
      { header: "memory", cell: (domain) => byteSize(BigInt(domain.memoryBytes)), numeric: true },
      { header: "CPU time", cell: (domain) => simulatedTime(domain.scUsedNs.reduce((sum, ns) => sum + ns, 0)), numeric: true },
      { header: "results", cell: (domain) => ({ html: resultsHtml(domain.results) }) },
    ],
    rows: data.domains,
    empty: "no domains",
  });
  const violations =
    isolation.violations.length === 0
      ? ""
      : `<h3>Isolation violations</h3>` +
        htmlTable({
          className: "violations",
          rowClass: "violation-row",
          columns: [
            { header: "code", cell: (violation) => violation.code },
            { header: "device", cell: (violation) => violation.device },
            { header: "domain", cell: (violation) => violation.domain },
            { header: "reaches memory of", cell: (violation) => violation.owner },
            { header: "range", cell: (violation) => code(`${hex(violation.start)}–${hex(violation.end - 1n)}`) },
            { header: "access", cell: (violation) => [violation.read ? "read" : "", violation.write ? "write" : ""].filter((word) => word !== "").join("+") },
          ],
          rows: isolation.violations,
        });
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards.join("")}</div>
<h3>Domains</h3>${domainTable}${violations}</section>`;
}

function card(value: string, label: string, tone: "ok" | "bad" | undefined): string {
  return `<div class="card${tone === undefined ? "" : ` ${tone}`}"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

/** results as short key=value pairs; hashes shortened (the full value is in the tooltip) */
function resultsHtml(results: DomainReport["results"]): string {
  return Object.entries(results)
    .map(([key, value]) => {
      const text = String(value);
      const shown = /^[0-9a-f]{40,}$/.test(text) ? `${text.slice(0, 12)}…` : text;
      return `<span class="mono" title="${escapeHtml(`${key}=${text}`)}">${escapeHtml(`${key}=${shown}`)}</span>`;
    })
    .join(" ");
}
