import { escapeHtml } from "./html-escape.js";
import { byteSize, hex, memoryPermissionLetters } from "./report-format.js";
import type { MemoryMapSpace, MemoryRegion } from "./report-model.js";

// How a space is drawn to scale. Mapped regions are tiny against a 48- or 57-bit input space, so
// one bar would show nothing; a log axis would hide sizes. Instead:
//  1. an overview bar, linear over the whole input space [0, 2^inputBits) of the format;
//  2. below it, one zoom strip per cluster of regions, linear over exactly that cluster's extent,
//     numbered, with the same number marking the cluster's place under the overview bar.
// Regions join a cluster while the gap to the next one is no larger than the cluster so far
// (or 64 KiB), so in a strip the mapped parts are never lost in empty space. Inside each bar
// every width is proportional to bytes, except that a region narrower than one pixel is drawn
// one pixel wide so it stays visible (the legend says so).
const WIDTH = 880;
const BAR_HEIGHT = 16;
const STRIP_GAP = 50;
const MIN_CLUSTER_GAP = 64n * 1024n;
/** least distance between two cluster markers under the overview bar */
const MARK_SPACING = 14;
/** strips drawn per space; further clusters are in the region table only */
export const MAX_STRIPS = 8;

interface Cluster {
  readonly start: bigint;
  readonly end: bigint;
  readonly regions: readonly MemoryRegion[];
}

/** Groups regions (sorted by start) into clusters as described above. */
export function clustersOf(regions: readonly MemoryRegion[]): Cluster[] {
  const clusters: { start: bigint; end: bigint; regions: MemoryRegion[] }[] = [];
  for (const region of regions) {
    const last = clusters.at(-1);
    const span = last === undefined ? 0n : last.end - last.start;
    if (last !== undefined && region.start - last.end <= (span > MIN_CLUSTER_GAP ? span : MIN_CLUSTER_GAP)) {
      last.end = region.end > last.end ? region.end : last.end;
      last.regions.push(region);
    } else {
      clusters.push({ start: region.start, end: region.end, regions: [region] });
    }
  }
  return clusters;
}

/** x of `address` on a bar of `width` pixels showing [start, start + span), at 1/1000 px precision. */
function scale(address: bigint, start: bigint, span: bigint, width: number): number {
  return Number(((address - start) * BigInt(width) * 1000n) / span) / 1000;
}

const permissionClass = (permissions: number): string => `perm-${memoryPermissionLetters(permissions).replace(/-/g, "").toLowerCase() || "none"}`;

function regionRects(regions: readonly MemoryRegion[], start: bigint, span: bigint, y: number, labels: boolean): string {
  return regions
    .map((region) => {
      const x = scale(region.start, start, span, WIDTH);
      const width = Math.max(1, scale(region.end, start, span, WIDTH) - x);
      const size = byteSize(region.end - region.start);
      const permissions = memoryPermissionLetters(region.permissions);
      const output = region.outputContiguous ? `→ ${hex(region.outputStart)}` : `→ scattered frames from ${hex(region.outputStart)}`;
      const title = `${hex(region.start)}–${hex(region.end - 1n)} (${size}) ${permissions} ${output}`;
      const text = labels && width > 70 ? `<text class="region-label" x="${fmt(x + 4)}" y="${y + 12}">${escapeHtml(`${size} ${permissions}`)}</text>` : "";
      return `<g class="region ${permissionClass(region.permissions)}"><title>${escapeHtml(title)}</title><rect x="${fmt(x)}" y="${y}" width="${fmt(width)}" height="${BAR_HEIGHT}"/>${text}</g>`;
    })
    .join("");
}

/** One space's map as inline SVG (`svg.memory-map`, `g.region` per region). */
export function memoryMapSvg(space: MemoryMapSpace): string {
  const full = 1n << BigInt(space.inputBits);
  const clusters = clustersOf(space.regions);
  const strips = clusters.slice(0, MAX_STRIPS);
  const overviewY = 18;
  const height = overviewY + BAR_HEIGHT + 22 + strips.length * (STRIP_GAP + BAR_HEIGHT) + 4;
  const parts: string[] = [
    `<text class="axis" x="0" y="12">0x0</text>`,
    `<text class="axis" x="${WIDTH}" y="12" text-anchor="end">${escapeHtml(`${hex(full)} (whole ${space.inputBits}-bit input space, linear)`)}</text>`,
    `<rect class="bar" x="0" y="${overviewY}" width="${WIDTH}" height="${BAR_HEIGHT}"/>`,
    regionRects(space.regions, 0n, full, overviewY, false),
  ];
  let previousMark = -Infinity;
  strips.forEach((cluster, index) => {
    const y = overviewY + BAR_HEIGHT + 22 + index * (STRIP_GAP + BAR_HEIGHT) + 16;
    const span = cluster.end - cluster.start;
    // the marker sits under the cluster's place on the overview, nudged right of the previous
    // marker when clusters are closer than a marker is wide (clamped so its number stays on the page)
    const at = Math.min(WIDTH - 6, Math.max(6, previousMark + MARK_SPACING, scale(cluster.start + span / 2n, 0n, full, WIDTH)));
    previousMark = at;
    const markY = overviewY + BAR_HEIGHT + 1;
    parts.push(
      `<path class="zoom-mark" d="M${fmt(at)},${markY} l-5,7 h10 z"/><text class="zoom-number" x="${fmt(at)}" y="${markY + 17}" text-anchor="middle">${index + 1}</text>`,
      `<text class="axis" x="0" y="${y - 3}">${escapeHtml(hex(cluster.start))}</text>`,
      `<text class="axis" x="${WIDTH / 2}" y="${y - 3}" text-anchor="middle">${escapeHtml(`zoom ${index + 1}: ${byteSize(span)} window, linear`)}</text>`,
      `<text class="axis" x="${WIDTH}" y="${y - 3}" text-anchor="end">${escapeHtml(hex(cluster.end))}</text>`,
      `<rect class="bar" x="0" y="${y}" width="${WIDTH}" height="${BAR_HEIGHT}"/>`,
      regionRects(cluster.regions, cluster.start, span, y, true),
    );
  });
  const label = `${space.kind} space ${space.spaceId}: ${space.regions.length} mapped region(s), ${byteSize(space.mappedBytes)}`;
  return `<svg class="memory-map kind-${space.kind}" role="img" aria-label="${escapeHtml(label)}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}

const fmt = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(2));
