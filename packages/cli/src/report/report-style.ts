/**
 * The page's only stylesheet, inlined (the report is one file and loads nothing). Colours are
 * CSS variables with a light and a dark set chosen by prefers-color-scheme; the inline SVGs use
 * the same classes, so the graph and the maps follow the theme too. System fonts only.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f7f8fa; --panel: #ffffff; --fg: #1d2330; --muted: #5f6b7d; --line: #d9dee7; --zebra: #f2f4f8;
  --accent: #3b5bdb; --ok: #2b8a3e; --bad: #c92a2a; --warn: #b35c00;
  --nova: #495057; --root: #7048e8; --domain: #1971c2; --other: #868e96;
  --k-obj: #7048e8; --k-hst: #1971c2; --k-gst: #0c8599; --k-dma: #e8590c; --k-pio: #5c940d; --k-msr: #c2255c;
  --r: #74c0fc; --rw: #40c057; --rx: #fab005; --rwx: #fa5252; --ro-bar: #e9ecef;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --panel: #1c2027; --fg: #e6e9ef; --muted: #9aa5b5; --line: #313844; --zebra: #222731;
    --accent: #748ffc; --ok: #69db7c; --bad: #ff8787; --warn: #ffa94d;
    --nova: #adb5bd; --root: #b197fc; --domain: #74c0fc; --other: #868e96;
    --k-obj: #b197fc; --k-hst: #74c0fc; --k-gst: #66d9e8; --k-dma: #ffa94d; --k-pio: #a9e34b; --k-msr: #f783ac;
    --r: #4dabf7; --rw: #37b24d; --rx: #f59f00; --rwx: #f03e3e; --ro-bar: #2b313b;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { padding: 24px 32px 8px; }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 0 0 12px; font-size: 18px; }
h3 { margin: 18px 0 8px; font-size: 15px; }
h4 { margin: 12px 0 6px; font-size: 13px; color: var(--muted); font-weight: 600; }
main { padding: 0 32px 32px; max-width: 1400px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 16px 0; }
nav { padding: 0 32px; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
p.note, .muted { color: var(--muted); font-size: 12.5px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
code { overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 180px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); }
.card .value { font-size: 20px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; }
.card.ok .value { color: var(--ok); } .card.bad .value { color: var(--bad); }
.table-wrap { overflow-x: auto; }
.table-wrap.scroll { max-height: 420px; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 4px 0 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: var(--panel); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--zebra); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child { white-space: nowrap; }
td code { white-space: nowrap; overflow-wrap: normal; }
.pcrs td code, .event-log td code { white-space: normal; overflow-wrap: anywhere; }
tr.empty td { color: var(--muted); font-style: italic; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11.5px; font-weight: 600; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); } .badge.bad { color: var(--bad); } .badge.warn { color: var(--warn); } .badge.muted { color: var(--muted); }
.figure { overflow-x: auto; padding: 4px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin: 6px 0; }
.legend i { display: inline-block; width: 12px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
pre.boot-log { max-height: 520px; overflow: auto; background: var(--zebra); border: 1px solid var(--line); border-radius: 6px; padding: 10px; margin: 0; white-space: pre; }
footer { padding: 0 32px 32px; color: var(--muted); font-size: 12px; }
svg text { fill: var(--fg); font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg text.axis, svg text.pd-meta, svg text.lane-label { fill: var(--muted); font-size: 11px; }
svg text.pd-name { font-weight: 600; font-size: 13px; }
svg text.region-label { font-size: 10.5px; fill: #10141a; }
.pd-node rect { fill: var(--panel); stroke-width: 2; }
.pd-node.role-nova rect { stroke: var(--nova); } .pd-node.role-root rect { stroke: var(--root); }
.pd-node.role-domain rect { stroke: var(--domain); } .pd-node.role-other rect { stroke: var(--other); }
.object-group rect { fill: var(--zebra); stroke: var(--line); }
path.owns { stroke: var(--line); stroke-width: 1.5; fill: none; }
path.delegation { fill: none; stroke-width: 1.8; opacity: 0.85; }
.delegation-arc:hover path.delegation { stroke-width: 3.2; opacity: 1; }
text.arc-label { font-size: 10.5px; font-weight: 600; paint-order: stroke; stroke: var(--panel); stroke-width: 3px; stroke-linejoin: round; }
.k-OBJ { stroke: var(--k-obj); } .k-HST { stroke: var(--k-hst); } .k-GST { stroke: var(--k-gst); }
.k-DMA { stroke: var(--k-dma); } .k-PIO { stroke: var(--k-pio); } .k-MSR { stroke: var(--k-msr); }
path.arrowhead { stroke: none; }
path.arrowhead.k-OBJ, text.label-OBJ { fill: var(--k-obj); } path.arrowhead.k-HST, text.label-HST { fill: var(--k-hst); }
path.arrowhead.k-GST, text.label-GST { fill: var(--k-gst); } path.arrowhead.k-DMA, text.label-DMA { fill: var(--k-dma); }
path.arrowhead.k-PIO, text.label-PIO { fill: var(--k-pio); } path.arrowhead.k-MSR, text.label-MSR { fill: var(--k-msr); }
i.k-OBJ { background: var(--k-obj); } i.k-HST { background: var(--k-hst); } i.k-GST { background: var(--k-gst); }
i.k-DMA { background: var(--k-dma); } i.k-PIO { background: var(--k-pio); } i.k-MSR { background: var(--k-msr); }
svg.memory-map, svg.fault-timeline, svg.capability-graph { display: block; }
svg.memory-map, svg.fault-timeline { max-width: 100%; height: auto; }
rect.bar { fill: var(--ro-bar); stroke: var(--line); }
path.zoom-mark { fill: var(--accent); }
text.zoom-number { fill: var(--accent); font-size: 10px; font-weight: 700; }
.region rect { fill: var(--other); }
.region.perm-r rect, i.perm-r { fill: var(--r); background: var(--r); }
.region.perm-rw rect, i.perm-rw { fill: var(--rw); background: var(--rw); }
.region.perm-rxu rect, .region.perm-rxs rect, .region.perm-rxuxs rect, i.perm-rx { fill: var(--rx); background: var(--rx); }
.region.perm-rwxu rect, .region.perm-rwxs rect, .region.perm-rwxuxs rect, i.perm-rwx { fill: var(--rwx); background: var(--rwx); }
.region:hover rect { stroke: var(--fg); stroke-width: 1; }
rect.lane { fill: var(--zebra); }
rect.fault-read { fill: var(--k-hst); } rect.fault-write { fill: var(--bad); }
i.fault-read { background: var(--k-hst); } i.fault-write { background: var(--bad); }
path.tick { stroke: var(--muted); }
.space { margin: 10px 0 18px; }
`;
