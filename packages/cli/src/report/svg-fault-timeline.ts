import { escapeHtml } from "./html-escape.js";
import { simulatedTime } from "./report-format.js";
import type { FaultRow, FaultTimeline } from "./report-model.js";

// One lane per faulting device (or per fault kind and CPU for CPU faults), simulated time left to
// right, linear from 0 to the end of the run. A DMA attack makes thousands of faults, so each
// lane is binned per pixel column: a mark means "at least one fault in this column", darker for
// more; reads in the upper half of the lane, writes (and other accesses) in the lower half.
const WIDTH = 880;
const LABEL_WIDTH = 170;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 10;
const LANE_HEIGHT = 24;
const AXIS_HEIGHT = 22;

export function laneOf(fault: FaultRow): string {
  return fault.device ?? `${fault.kind}${fault.cpu === undefined ? "" : ` cpu ${fault.cpu}`}`;
}

/** The fault timeline as inline SVG (`svg.fault-timeline`, `g.fault-lane` per lane). */
export function faultTimelineSvg(timeline: FaultTimeline): string {
  const lanes = [...new Set(timeline.faults.map(laneOf))].sort();
  const end = timeline.faults.reduce((latest, fault) => Math.max(latest, fault.timeNs), Math.max(1, timeline.simulatedNs));
  const height = lanes.length * LANE_HEIGHT + AXIS_HEIGHT + 4;
  const parts: string[] = [];
  lanes.forEach((lane, index) => {
    const faults = timeline.faults.filter((fault) => laneOf(fault) === lane);
    const y = index * LANE_HEIGHT;
    const reads = new Map<number, number>();
    const others = new Map<number, number>();
    for (const fault of faults) {
      const column = Math.min(PLOT_WIDTH - 1, Math.floor((fault.timeNs / end) * PLOT_WIDTH));
      const bins = fault.access === "read" ? reads : others;
      bins.set(column, (bins.get(column) ?? 0) + 1);
    }
    const busiest = [...reads.values(), ...others.values()].reduce((most, count) => Math.max(most, count), 1);
    const marks = (bins: ReadonlyMap<number, number>, top: number, tone: string): string =>
      [...bins]
        .sort(([a], [b]) => a - b)
        .map(([column, count]) => `<rect class="${tone}" x="${LABEL_WIDTH + column}" y="${y + top}" width="1" height="9" opacity="${(0.35 + (0.65 * count) / busiest).toFixed(2)}"/>`)
        .join("");
    const readCount = faults.filter((fault) => fault.access === "read").length;
    const domains = [...new Set(faults.map((fault) => fault.domain).filter((domain): domain is string => domain !== undefined))].join(", ");
    const title = `${lane}${domains === "" ? "" : ` (${domains})`}: ${faults.length} fault(s), ${readCount} read, ${faults.length - readCount} write/other, first at ${simulatedTime(faults[0]?.timeNs ?? 0)}`;
    parts.push(
      `<g class="fault-lane" data-lane="${escapeHtml(lane)}" data-faults="${faults.length}"><title>${escapeHtml(title)}</title>` +
        `<rect class="lane" x="${LABEL_WIDTH}" y="${y + 2}" width="${PLOT_WIDTH}" height="${LANE_HEIGHT - 4}"/>` +
        `<text class="lane-label" x="0" y="${y + 16}">${escapeHtml(lane)}</text>` +
        marks(reads, 3, "fault-read") +
        marks(others, 12, "fault-write") +
        `</g>`,
    );
  });
  const axisY = lanes.length * LANE_HEIGHT;
  for (let tick = 0; tick <= 4; tick++) {
    const x = LABEL_WIDTH + (PLOT_WIDTH * tick) / 4;
    const anchor = tick === 0 ? "start" : tick === 4 ? "end" : "middle";
    parts.push(`<path class="tick" d="M${x},${axisY} v4"/><text class="axis" x="${x}" y="${axisY + 16}" text-anchor="${anchor}">${escapeHtml(simulatedTime(Math.round((end * tick) / 4)))}</text>`);
  }
  return `<svg class="fault-timeline" role="img" aria-label="${escapeHtml(`DMA fault timeline: ${timeline.faults.length} faults in ${lanes.length} lane(s)`)}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}
