import { escapeHtml } from "./html-escape.js";
import { code, htmlTable } from "./html-table.js";
import { byteSize, hex, plural } from "./report-format.js";
import type { CapabilityHolding, GraphDelegation, ReportData } from "./report-model.js";
import { capabilityGraphSvg, DELEGATION_KINDS } from "./svg-capability-graph.js";

/** The capability graph (inline SVG), the delegations table and what each PD holds. */
export function capabilitySection(data: ReportData): string {
  const { graph } = data;
  const nameOf = new Map(graph.pds.map((pd) => [pd.id, pd.name]));
  const pdLabel = (pd: number): string => `${nameOf.get(pd) ?? "PD"} (PD ${pd})`;
  const legend = DELEGATION_KINDS.map((kind) => `<span><i class="k-${kind}"></i>${kind}</span>`).join("");
  const delegations = htmlTable<GraphDelegation>({
    className: "delegations",
    rowClass: "delegation-row",
    columns: [
      { header: "from", cell: (row) => pdLabel(row.sourcePd) },
      { header: "to", cell: (row) => pdLabel(row.destinationPd) },
      { header: "space", cell: (row) => row.kind },
      { header: "ctrl_pd calls", cell: (row) => String(row.count), numeric: true },
      { header: "delegated", cell: (row) => (row.kind === "HST" || row.kind === "GST" || row.kind === "DMA" ? `${plural(row.items, "page")} (${byteSize(row.items << 12n)})` : plural(row.items, "selector")), numeric: true },
      { header: "masks", cell: (row) => code(hex(row.masks)) },
    ],
    rows: graph.delegations,
    empty: "no delegations",
  });
  // one row per (holder, owner): the subtypes held, each with its count and OR-ed permissions
  const pairs = new Map<string, CapabilityHolding[]>();
  for (const holding of graph.holdings) {
    const key = `${holding.holderPd}/${holding.ownerPd}`;
    pairs.set(key, [...(pairs.get(key) ?? []), holding]);
  }
  const holdings = htmlTable<readonly CapabilityHolding[]>({
    className: "holdings",
    rowClass: "holding-row",
    columns: [
      { header: "holder", cell: (rows) => pdLabel(rows[0]?.holderPd ?? 0) },
      { header: "objects owned by", cell: (rows) => (rows[0]?.ownerPd === rows[0]?.holderPd ? "itself" : pdLabel(rows[0]?.ownerPd ?? 0)) },
      { header: "capabilities", cell: (rows) => String(rows.reduce((sum, row) => sum + row.count, 0)), numeric: true },
      { header: "by subtype (permissions OR-ed)", cell: (rows) => ({ html: rows.map((row) => `<span class="mono">${escapeHtml(`${row.subtype} ${row.count} (${hex(row.permissions)})`)}</span>`).join(", ") }) },
    ],
    rows: [...pairs.values()],
  });
  return `<section id="capabilities"><h2>Capability graph</h2>
<p class="note">${plural(graph.pds.length, "protection domain")} with the live objects each owns (grouped by subtype, hover for ids) and, above them, every ctrl_pd delegation the <code>delegated</code> hook saw, one arc per source, destination and space kind (×N = calls). Capability permission masks are NOVA's, per object type.</p>
<div class="legend">${legend}</div>
<div class="figure">${capabilityGraphSvg(graph)}</div>
<h3>Delegations</h3>${delegations}
<h3>Capabilities held</h3><p class="note">What each PD's object space holds after the boot, by the owner and subtype of the objects.</p>${holdings}
</section>`;
}
