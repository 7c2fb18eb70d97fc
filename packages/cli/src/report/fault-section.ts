import { escapeHtml } from "./html-escape.js";
import { code, htmlTable } from "./html-table.js";
import { hex, simulatedTime, plural } from "./report-format.js";
import type { FaultRow, ReportData } from "./report-model.js";
import { faultTimelineSvg, laneOf } from "./svg-fault-timeline.js";

/** fault rows listed one by one; a DMA attack makes thousands (`boot --json` has them all) */
export const FAULT_ROWS_SHOWN = 500;

/** The DMA fault timeline (inline SVG), the faults summed by source, and the first FAULT_ROWS_SHOWN faults. */
interface FaultGroup {
  readonly lane: string;
  readonly domain: string;
  readonly kind: string;
  readonly access: string;
  count: number;
  readonly first: number;
  last: number;
}

export function faultSection(data: ReportData): string {
  const { faults } = data.faults;
  if (faults.length === 0) {
    return `<section id="faults"><h2>DMA fault timeline</h2><p class="note">No faults: no DMA was aborted, no #CP, no page fault.</p></section>`;
  }
  const groups = new Map<string, FaultGroup>();
  for (const fault of faults) {
    const lane = laneOf(fault);
    const key = `${lane}\u0000${fault.domain ?? ""}\u0000${fault.kind}\u0000${fault.access ?? ""}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { lane, domain: fault.domain ?? "-", kind: fault.kind, access: fault.access ?? "-", count: 1, first: fault.timeNs, last: fault.timeNs });
    else {
      group.count += 1;
      group.last = fault.timeNs;
    }
  }
  const shown = faults.slice(0, FAULT_ROWS_SHOWN);
  const summary = htmlTable<FaultGroup>({
    className: "fault-summary",
    columns: [
      { header: "source", cell: (group) => code(group.lane) },
      { header: "domain", cell: (group) => group.domain },
      { header: "kind", cell: (group) => group.kind },
      { header: "access", cell: (group) => group.access },
      { header: "faults", cell: (group) => String(group.count), numeric: true },
      { header: "first", cell: (group) => simulatedTime(group.first), numeric: true },
      { header: "last", cell: (group) => simulatedTime(group.last), numeric: true },
    ],
    rows: [...groups.values()],
  });
  const rows = htmlTable<FaultRow & { readonly index: number }>({
    className: "faults",
    rowClass: "fault-row",
    columns: [
      { header: "#", cell: (fault) => String(fault.index), numeric: true },
      { header: "time (ns)", cell: (fault) => String(fault.timeNs), numeric: true },
      { header: "kind", cell: (fault) => fault.kind },
      { header: "device", cell: (fault) => (fault.device === undefined ? "-" : code(fault.device)) },
      { header: "domain", cell: (fault) => fault.domain ?? "-" },
      { header: "address", cell: (fault) => (fault.address === undefined ? "-" : code(hex(fault.address))) },
      { header: "access", cell: (fault) => fault.access ?? "-" },
      { header: "detail", cell: (fault) => ({ html: `<span class="mono">${escapeHtml(fault.detail)}</span>` }) },
    ],
    rows: shown.map((fault, index) => ({ ...fault, index: index + 1 })),
  }).replace('<div class="table-wrap">', '<div class="table-wrap scroll">');
  const more = faults.length > shown.length ? `<p class="note">The first ${shown.length} of ${faults.length} faults are listed; <code>novakit boot --json</code> has them all.</p>` : "";
  return `<section id="faults"><h2>DMA fault timeline</h2>
<p class="note">${plural(faults.length, "fault")} in ${simulatedTime(data.faults.simulatedNs)} of simulated time, from the <code>fault</code> hook. One lane per source; each mark is one pixel column of time, darker for more faults in it.</p>
<div class="legend"><span><i class="fault-read"></i>read</span><span><i class="fault-write"></i>write / other</span></div>
<div class="figure">${faultTimelineSvg(data.faults)}</div>
<h3>By source</h3>${summary}
<h3>Faults</h3>${rows}${more}
</section>`;
}
