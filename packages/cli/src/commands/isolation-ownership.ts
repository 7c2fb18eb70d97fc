import type { BootResult, MemorySpaceView, NovakitKernel } from "@novakit/kernel-core";

/** The owner label of frames the kernel allocated or reserved (page tables, device table, queues, its image). */
export const KERNEL_OWNER = "kernel";

/** A run of physical frames [start, end) (frame numbers) and who owns them. */
export interface OwnedSegment {
  readonly start: bigint;
  readonly end: bigint;
  /** sorted owner labels; two or more = memory both domains map (shared); empty = nobody */
  readonly owners: readonly string[];
}

interface FrameInterval {
  start: bigint;
  end: bigint;
}

const PAGE_SHIFT = 12n;
/** the kernel's line naming the root PD (boot/boot-sequence.ts) */
const ROOT_LINE = /ROOT: PD (\d+) EC/;

/**
 * Who owns every physical frame of a booted kernel, as sorted, disjoint segments:
 *  - a PD's frames are the output frames of its host and guest spaces (walked leaf by leaf in the
 *    real page tables, not taken from the root task's records); a domain's PD is named by the
 *    domain, the root PD "root (pd <id>)", any other PD "pd <id>". DMA spaces do not confer ownership: what a
 *    device may reach is exactly the question;
 *  - the kernel owns the frames its allocator handed out or reserved that no PD maps: page tables,
 *    UTCBs, the IOMMU's device table, command queues and event logs, its image;
 *  - frames in neither set belong to nobody (free RAM, MMIO).
 * A frame mapped by two domains is owned by both: that is how a configuration declares memory
 * shared, and a device of either may reach it.
 */
export function frameOwnership(kernel: NovakitKernel, result: BootResult): OwnedSegment[] {
  const pdNames = new Map(result.domains.map((domain) => [domain.pd, domain.name]));
  const root = result.log.map((line) => ROOT_LINE.exec(line)).find((match) => match !== null);
  if (root) pdNames.set(Number(root[1]), `root (pd ${root[1]})`);
  const owned = new Map<string, FrameInterval[]>();
  for (const space of kernel.memorySpaces()) {
    if (space.kind === "DMA") continue;
    const owner = pdNames.get(space.pdId) ?? `pd ${space.pdId}`;
    const list = owned.get(owner) ?? [];
    list.push(...framesOf(space));
    owned.set(owner, list);
  }
  const state = kernel.internals.state;
  if (state !== undefined) {
    const pdFrames = merge([...owned.values()].flat());
    const allocated = state.frames.allocatedExtents().map((extent) => ({ start: BigInt(extent.start), end: BigInt(extent.end) }));
    owned.set(KERNEL_OWNER, subtract(allocated, pdFrames));
  }
  return sweep(new Map([...owned].map(([owner, intervals]) => [owner, merge(intervals)])));
}

/** The output frames of every leaf of a host or guest space. */
function framesOf(space: MemorySpaceView): FrameInterval[] {
  const wholeSpaceOrder = space.table.format.inputBits - Number(PAGE_SHIFT);
  return space.table.leaves(0n, wholeSpaceOrder).map((leaf) => {
    const start = leaf.outputAddress >> PAGE_SHIFT;
    return { start, end: start + (1n << BigInt(leaf.order)) };
  });
}

/** Sorted, coalesced copy. */
export function merge(intervals: readonly FrameInterval[]): FrameInterval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: FrameInterval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** `from` minus `remove`, both sorted and coalesced. */
function subtract(from: readonly FrameInterval[], remove: readonly FrameInterval[]): FrameInterval[] {
  const result: FrameInterval[] = [];
  let index = 0;
  for (const interval of from) {
    let cursor = interval.start;
    while (index < remove.length && (remove[index] as FrameInterval).end <= cursor) index++;
    let probe = index;
    while (probe < remove.length && (remove[probe] as FrameInterval).start < interval.end) {
      const hole = remove[probe] as FrameInterval;
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      if (hole.end > cursor) cursor = hole.end;
      probe++;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}

/** Cut the owners' interval lists at every boundary and label each piece with its owners. */
function sweep(owned: ReadonlyMap<string, readonly FrameInterval[]>): OwnedSegment[] {
  const points = new Set<bigint>();
  for (const intervals of owned.values()) {
    for (const interval of intervals) {
      points.add(interval.start);
      points.add(interval.end);
    }
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cursors = new Map([...owned.keys()].map((owner) => [owner, 0]));
  const segments: OwnedSegment[] = [];
  for (let index = 0; index + 1 < sorted.length; index++) {
    const start = sorted[index] as bigint;
    const end = sorted[index + 1] as bigint;
    const owners: string[] = [];
    for (const [owner, intervals] of owned) {
      let cursor = cursors.get(owner) ?? 0;
      while (cursor < intervals.length && (intervals[cursor] as FrameInterval).end <= start) cursor++;
      cursors.set(owner, cursor);
      const interval = intervals[cursor];
      if (interval !== undefined && interval.start <= start) owners.push(owner);
    }
    if (owners.length > 0) segments.push({ start, end, owners: owners.sort() });
  }
  return segments;
}

/** The pieces of frames [start, end) and their owners (nobody's pieces included, with no owners). */
export function ownersOf(segments: readonly OwnedSegment[], start: bigint, end: bigint): OwnedSegment[] {
  const pieces: OwnedSegment[] = [];
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((segments[mid] as OwnedSegment).end <= start) low = mid + 1;
    else high = mid;
  }
  let cursor = start;
  for (let index = low; index < segments.length && cursor < end; index++) {
    const segment = segments[index] as OwnedSegment;
    if (segment.start >= end) break;
    if (segment.start > cursor) pieces.push({ start: cursor, end: segment.start, owners: [] });
    const pieceEnd = segment.end < end ? segment.end : end;
    pieces.push({ start: segment.start > cursor ? segment.start : cursor, end: pieceEnd, owners: segment.owners });
    cursor = pieceEnd;
  }
  if (cursor < end) pieces.push({ start: cursor, end, owners: [] });
  return pieces;
}
