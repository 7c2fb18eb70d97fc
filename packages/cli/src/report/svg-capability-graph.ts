import { escapeHtml } from "./html-escape.js";
import type { CapabilityGraph, GraphDelegation, GraphPd } from "./report-model.js";
import { plural } from "./report-format.js";

// Layout: one column per PD (NOVA, root, then the domains in PD-id order). A PD is a box on a
// common baseline; the objects it owns hang below it, grouped by subtype; each delegation is an
// arc above the baseline from the source PD to the destination PD (an arc diagram: arcs never
// cross boxes, and a longer jump is a higher arc). One arc per (source, destination, space kind).
const MARGIN = 16;
const COLUMN_WIDTH = 178;
const NODE_WIDTH = 162;
const PD_HEIGHT = 50;
const GROUP_HEIGHT = 24;
const GROUP_GAP = 6;
const GROUP_INDENT = 20;
const LABEL_ROOM = 24;
/** arcs of different kinds between the same two PDs leave and land a little apart */
export const DELEGATION_KINDS = ["OBJ", "HST", "GST", "DMA", "PIO", "MSR"] as const;
const KIND_SPREAD = 9;

interface Arc {
  readonly delegation: GraphDelegation;
  readonly x1: number;
  readonly x2: number;
  readonly height: number;
}

/** The capability graph as inline SVG: `g.pd-node` per PD, `g.object-group` per owned subtype, `path.delegation` per arc. */
export function capabilityGraphSvg(graph: CapabilityGraph): string {
  const columnOf = new Map(graph.pds.map((pd, index) => [pd.id, index]));
  const nameOf = new Map(graph.pds.map((pd) => [pd.id, pd.name]));
  const centre = (pd: number): number => MARGIN + (columnOf.get(pd) ?? 0) * COLUMN_WIDTH + NODE_WIDTH / 2;
  const kindOffset = (kind: string): number => (DELEGATION_KINDS.indexOf(kind as (typeof DELEGATION_KINDS)[number]) - (DELEGATION_KINDS.length - 1) / 2) * KIND_SPREAD;

  // arcs drawn between PDs the graph lists (a delegation to a PD that died since is left out of the drawing, not of the table)
  const pairIndex = new Map<string, number>();
  const arcs: Arc[] = graph.delegations
    .filter((delegation) => columnOf.has(delegation.sourcePd) && columnOf.has(delegation.destinationPd))
    .map((delegation) => {
      const pair = [delegation.sourcePd, delegation.destinationPd].sort((a, b) => a - b).join("/");
      const index = pairIndex.get(pair) ?? 0;
      pairIndex.set(pair, index + 1);
      const x1 = centre(delegation.sourcePd) + kindOffset(delegation.kind);
      const x2 = centre(delegation.destinationPd) + kindOffset(delegation.kind);
      const height = delegation.sourcePd === delegation.destinationPd ? 34 + index * 14 : 30 + Math.abs(x2 - x1) * 0.2 + index * 18;
      return { delegation, x1, x2, height };
    });
  const arcSpace = Math.max(0, ...arcs.map((arc) => arc.height)) + LABEL_ROOM;
  const baseline = MARGIN + arcSpace;
  const groupsOf = new Map<number, CapabilityGraph["objectGroups"][number][]>();
  for (const group of graph.objectGroups) groupsOf.set(group.ownerPd, [...(groupsOf.get(group.ownerPd) ?? []), group]);
  const deepest = Math.max(0, ...graph.pds.map((pd) => groupsOf.get(pd.id)?.length ?? 0));
  const width = MARGIN * 2 + Math.max(1, graph.pds.length) * COLUMN_WIDTH - (COLUMN_WIDTH - NODE_WIDTH);
  const height = baseline + PD_HEIGHT + 12 + deepest * (GROUP_HEIGHT + GROUP_GAP) + MARGIN;

  const markers = DELEGATION_KINDS.map(
    (kind) =>
      `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead k-${kind}"/></marker>`,
  ).join("");

  const parts: string[] = [];
  for (const arc of arcs) parts.push(arcSvg(arc, baseline, nameOf));
  for (const pd of graph.pds) parts.push(pdNodeSvg(pd, MARGIN + (columnOf.get(pd.id) ?? 0) * COLUMN_WIDTH, baseline, groupsOf.get(pd.id) ?? []));

  return (
    `<svg class="capability-graph" role="img" aria-label="capability graph: ${graph.pds.length} protection domains, ${arcs.length} delegation arcs" ` +
    `width="${width}" height="${Math.ceil(height)}" viewBox="0 0 ${width} ${Math.ceil(height)}">` +
    `<defs>${markers}</defs>\n${parts.join("\n")}\n</svg>`
  );
}

function arcSvg(arc: Arc, baseline: number, nameOf: ReadonlyMap<number, string>): string {
  const { delegation, x1, x2, height } = arc;
  const kind = delegation.kind;
  const unit = kind === "HST" || kind === "GST" || kind === "DMA" ? "page" : "selector";
  const title =
    `${nameOf.get(delegation.sourcePd)} (PD ${delegation.sourcePd}) → ${nameOf.get(delegation.destinationPd)} (PD ${delegation.destinationPd}): ` +
    `${plural(delegation.count, `${kind} delegation`)}, ${delegation.items} ${unit}${delegation.items === 1n ? "" : "s"}, masks 0x${delegation.masks.toString(16)}`;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (delegation.sourcePd === delegation.destinationPd) {
    // a PD delegating into itself: a loop over its own box
    path = `M${fmt(x1 - 10)},${baseline} C${fmt(x1 - 34)},${fmt(baseline - height * 1.3)} ${fmt(x1 + 34)},${fmt(baseline - height * 1.3)} ${fmt(x1 + 10)},${baseline}`;
    labelX = x1;
    labelY = baseline - height - 4;
  } else {
    // a cubic with both controls at 4/3 of the height peaks at exactly `height`
    const control = baseline - (height * 4) / 3;
    path = `M${fmt(x1)},${baseline} C${fmt(x1)},${fmt(control)} ${fmt(x2)},${fmt(control)} ${fmt(x2)},${baseline}`;
    labelX = (x1 + x2) / 2;
    labelY = baseline - height - 4;
  }
  return (
    `<g class="delegation-arc"><title>${escapeHtml(title)}</title>` +
    `<path class="delegation k-${kind}" data-source="${delegation.sourcePd}" data-destination="${delegation.destinationPd}" data-kind="${kind}" d="${path}" marker-end="url(#arrow-${kind})"/>` +
    `<text class="arc-label label-${kind}" x="${fmt(labelX)}" y="${fmt(labelY)}" text-anchor="middle">${kind} ×${delegation.count}</text></g>`
  );
}

function pdNodeSvg(pd: GraphPd, x: number, baseline: number, groups: readonly CapabilityGraph["objectGroups"][number][]): string {
  const parts = [
    `<g class="pd-node role-${pd.role}" data-pd="${pd.id}"><title>${escapeHtml(`${pd.name}: PD ${pd.id}, ${plural(pd.capabilities, "capability")} in its object space, owns ${groups.reduce((sum, group) => sum + group.ids.length, 0)} live objects`)}</title>`,
    `<rect x="${x}" y="${baseline}" width="${NODE_WIDTH}" height="${PD_HEIGHT}" rx="8"/>`,
    `<text class="pd-name" x="${x + 10}" y="${baseline + 21}">${escapeHtml(clip(pd.name, 20))}</text>`,
    `<text class="pd-meta" x="${x + 10}" y="${baseline + 39}">PD ${pd.id} · ${escapeHtml(plural(pd.capabilities, "cap"))}</text></g>`,
  ];
  if (groups.length > 0) {
    const top = baseline + PD_HEIGHT;
    const spineX = x + 10;
    const lastMid = top + 12 + (groups.length - 1) * (GROUP_HEIGHT + GROUP_GAP) + GROUP_HEIGHT / 2;
    parts.push(`<path class="owns" d="M${spineX},${top} V${lastMid}"/>`);
    groups.forEach((group, index) => {
      const y = top + 12 + index * (GROUP_HEIGHT + GROUP_GAP);
      const count = group.ids.length;
      const label = count === 1 ? `${group.subtype} #${group.ids[0]}` : `${group.subtype} ×${count}`;
      const shown = group.ids.slice(0, 24).join(", ") + (count > 24 ? `, … (${count - 24} more)` : "");
      parts.push(
        `<g class="object-group t-${group.type}" data-owner="${group.ownerPd}" data-subtype="${escapeHtml(group.subtype)}"><title>${escapeHtml(`${plural(count, `${group.subtype} object`)} owned by PD ${group.ownerPd}: ${shown}`)}</title>` +
          `<path class="owns" d="M${spineX},${y + GROUP_HEIGHT / 2} H${x + GROUP_INDENT}"/>` +
          `<rect x="${x + GROUP_INDENT}" y="${y}" width="${NODE_WIDTH - GROUP_INDENT}" height="${GROUP_HEIGHT}" rx="5"/>` +
          `<text x="${x + GROUP_INDENT + 8}" y="${y + 16}">${escapeHtml(label)}</text></g>`,
      );
    });
  }
  return parts.join("");
}

/** names are clipped so a box never overflows; the full name is in the tooltip and the tables */
function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

const fmt = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
