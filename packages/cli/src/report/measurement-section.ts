import { escapeHtml } from "./html-escape.js";
import { badge, code, htmlTable } from "./html-table.js";
import type { ReportData } from "./report-model.js";

/** The measured launch: PCRs per bank beside `measure`'s prediction, and the event log. */
export function measurementSection(data: ReportData): string {
  const measurements = data.measurements;
  if (measurements === undefined) {
    return `<section id="measurements"><h2>Measured launch</h2><p class="note">The configuration has no measured launch (add the @novakit/txt-launch plugin).</p></section>`;
  }
  const pcrs = htmlTable({
    className: "pcrs",
    rowClass: "pcr-row",
    rowData: (row) => ({ bank: row.bank, pcr: String(row.pcr) }),
    columns: [
      { header: "bank", cell: (row) => row.bank },
      { header: "PCR", cell: (row) => String(row.pcr), numeric: true },
      { header: "value after the launch (TPM)", cell: (row) => code(row.measured) },
      { header: "novakit measure", cell: (row) => (row.predicted === undefined ? badge("not predicted", "muted") : row.predicted === row.measured ? badge("as predicted", "ok") : { html: `${badge("differs", "bad").html} ${code(row.predicted).html}` }) },
    ],
    rows: measurements.pcrs,
  });
  const events = htmlTable({
    className: "event-log",
    rowClass: "event-row",
    columns: [
      { header: "#", cell: (event) => String(event.number), numeric: true },
      { header: "PCR", cell: (event) => String(event.pcr), numeric: true },
      { header: "locality", cell: (event) => String(event.locality), numeric: true },
      { header: "type", cell: (event) => event.typeName },
      { header: "description", cell: (event) => event.description },
      { header: "sha256", cell: (event) => code(event.digests["sha256"] ?? Object.values(event.digests)[0] ?? "-") },
    ],
    rows: measurements.events,
    empty: "no events",
  });
  return `<section id="measurements"><h2>Measured launch</h2>
<p class="note">${escapeHtml(measurements.method)}, TPM ${escapeHtml(measurements.tpm)}, hypervisor image ${escapeHtml(measurements.hypervisor)}. PCR values as the TPM held them after the launch, each compared with <code>novakit measure</code>'s prediction for this configuration.</p>
<h3>PCRs</h3>${pcrs}
<h3>Event log</h3>${events}
</section>`;
}
