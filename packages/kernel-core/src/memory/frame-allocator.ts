import { NovakitError } from "../errors/novakit-error.js";
import { FRAME_SHIFT, PHYSICAL_ADDRESS_LIMIT } from "./physical-memory.js";

export interface RamRegion {
  readonly base: bigint;
  readonly size: bigint;
}

/**
 * Allocator of 4 KiB physical frames over the RAM regions of a platform. The free set is a sorted
 * list of disjoint frame-number extents [start, end), so a terabyte of RAM costs two numbers, and
 * the order is deterministic: the lowest free frame is always handed out first (no Date.now or
 * randomness in kernel logic). Frame numbers fit a double exactly (2^52 / 4 KiB = 2^40).
 *
 * It is also the `TableAllocator` a RadixPageTable takes its table pages from.
 */
export class FrameAllocator {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** every RAM frame ever managed, to tell a double free from a free of a foreign frame */
  private readonly ramStarts: number[] = [];
  private readonly ramEnds: number[] = [];
  private freeFrames = 0;

  constructor(regions: readonly RamRegion[]) {
    const sorted = regions.map((region, index) => ({ ...toFrames(region.base, region.size, `regions[${index}]`), index }));
    sorted.sort((a, b) => a.start - b.start);
    for (const region of sorted) {
      if (region.start === region.end) continue;
      const last = this.ramEnds.length - 1;
      if (last >= 0 && region.start < (this.ramEnds[last] as number)) {
        throw new NovakitError("NK-MEM-003", "RAM regions overlap", { field: `regions[${region.index}]` });
      }
      this.ramStarts.push(region.start);
      this.ramEnds.push(region.end);
      this.insertExtent(region.start, region.end);
    }
  }

  /** lowest free frame, or undefined when memory is exhausted */
  allocate(): bigint | undefined {
    if (this.starts.length === 0) return undefined;
    const frame = this.starts[0] as number;
    if (frame + 1 === this.ends[0]) {
      this.starts.shift();
      this.ends.shift();
    } else {
      this.starts[0] = frame + 1;
    }
    this.freeFrames -= 1;
    return BigInt(frame) << FRAME_SHIFT;
  }

  /** lowest run of `count` free frames whose first frame number is a multiple of `alignmentPages` */
  allocateContiguous(count: number, alignmentPages: number): bigint | undefined {
    if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(alignmentPages) || alignmentPages < 1) {
      throw new NovakitError("NK-MEM-006", `cannot allocate ${count} frames aligned to ${alignmentPages} pages`, {
        field: "count",
      });
    }
    for (let i = 0; i < this.starts.length; i++) {
      const start = Math.ceil((this.starts[i] as number) / alignmentPages) * alignmentPages;
      if (start + count <= (this.ends[i] as number)) {
        this.removeRange(start, start + count);
        return BigInt(start) << FRAME_SHIFT;
      }
    }
    return undefined;
  }

  free(address: bigint): void {
    if ((address & 0xfffn) !== 0n || address < 0n || address >= PHYSICAL_ADDRESS_LIMIT) {
      throw new NovakitError("NK-MEM-004", `cannot free 0x${address.toString(16)}: not a frame address`, { field: "address" });
    }
    const frame = Number(address >> FRAME_SHIFT);
    const ram = upperBound(this.ramStarts, frame) - 1;
    if (ram < 0 || frame >= (this.ramEnds[ram] as number)) {
      throw new NovakitError("NK-MEM-004", `cannot free 0x${address.toString(16)}: not in any RAM region`, { field: "address" });
    }
    const at = upperBound(this.starts, frame) - 1;
    if (at >= 0 && frame < (this.ends[at] as number)) {
      throw new NovakitError(
        "NK-MEM-005",
        `frame 0x${address.toString(16)} freed twice`,
        { field: "address" },
        "a programming error: the frame was already free",
      );
    }
    this.insertExtent(frame, frame + 1);
  }

  freeCount(): number {
    return this.freeFrames;
  }

  /**
   * Take [base, base + size) out of the free set (firmware, kernel image, MMIO holes). Parts
   * outside RAM or already allocated are ignored: reserving is idempotent.
   */
  reserve(base: bigint, size: bigint): void {
    const range = toFrames(base, size, "reserve");
    this.removeRange(range.start, range.end);
  }

  /**
   * The RAM frames that are not free, as sorted, disjoint [start, end) frame
   * numbers: what the kernel allocated (page tables, UTCBs, IOMMU tables and queues) or reserved
   * (its image, firmware). `novakit check --isolation` names the kernel as their owner.
   */
  allocatedExtents(): { readonly start: number; readonly end: number }[] {
    const extents: { start: number; end: number }[] = [];
    let free = 0;
    for (let ram = 0; ram < this.ramStarts.length; ram++) {
      let cursor = this.ramStarts[ram] as number;
      const ramEnd = this.ramEnds[ram] as number;
      while (free < this.starts.length && (this.ends[free] as number) <= cursor) free++;
      while (cursor < ramEnd) {
        const freeStart = free < this.starts.length ? Math.min(this.starts[free] as number, ramEnd) : ramEnd;
        if (freeStart > cursor) extents.push({ start: cursor, end: freeStart });
        if (free >= this.starts.length || (this.starts[free] as number) >= ramEnd) break;
        cursor = this.ends[free] as number;
        free++;
      }
    }
    return extents;
  }

  /** TableAllocator: page-table pages are ordinary frames. */
  allocateTable(): bigint | undefined {
    return this.allocate();
  }

  freeTable(address: bigint): void {
    this.free(address);
  }

  /** TableAllocator: naturally aligned contiguous tables for concatenated roots. */
  allocateTables(count: number): bigint | undefined {
    return this.allocateContiguous(count, count);
  }

  /** Add [start, end) (known to be disjoint from the free set) and coalesce with neighbours. */
  private insertExtent(start: number, end: number): void {
    const at = upperBound(this.starts, start);
    const mergeLeft = at > 0 && this.ends[at - 1] === start;
    const mergeRight = at < this.starts.length && this.starts[at] === end;
    if (mergeLeft && mergeRight) {
      this.ends[at - 1] = this.ends[at] as number;
      this.starts.splice(at, 1);
      this.ends.splice(at, 1);
    } else if (mergeLeft) {
      this.ends[at - 1] = end;
    } else if (mergeRight) {
      this.starts[at] = start;
    } else {
      this.starts.splice(at, 0, start);
      this.ends.splice(at, 0, end);
    }
    this.freeFrames += end - start;
  }

  /** Remove whatever part of [start, end) is free. */
  private removeRange(start: number, end: number): void {
    let i = Math.max(0, upperBound(this.starts, start) - 1);
    while (i < this.starts.length && (this.starts[i] as number) < end) {
      const s = this.starts[i] as number;
      const e = this.ends[i] as number;
      if (e <= start) {
        i++;
        continue;
      }
      const cutStart = Math.max(s, start);
      const cutEnd = Math.min(e, end);
      this.freeFrames -= cutEnd - cutStart;
      if (s < cutStart && cutEnd < e) {
        this.ends[i] = cutStart;
        this.starts.splice(i + 1, 0, cutEnd);
        this.ends.splice(i + 1, 0, e);
        return;
      }
      if (s < cutStart) {
        this.ends[i] = cutStart;
        i++;
      } else if (cutEnd < e) {
        this.starts[i] = cutEnd;
        i++;
      } else {
        this.starts.splice(i, 1);
        this.ends.splice(i, 1);
      }
    }
  }
}

function toFrames(base: bigint, size: bigint, field: string): { start: number; end: number } {
  if (base < 0n || size < 0n || (base & 0xfffn) !== 0n || (size & 0xfffn) !== 0n || base + size > PHYSICAL_ADDRESS_LIMIT) {
    throw new NovakitError(
      "NK-MEM-003",
      `range 0x${base.toString(16)}+0x${size.toString(16)} is not a page-aligned range below 2^52`,
      { field },
    );
  }
  return { start: Number(base >> FRAME_SHIFT), end: Number((base + size) >> FRAME_SHIFT) };
}

/** index of the first element greater than `value` in an ascending array */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
