/** One run of frames [start, end) with the memory permissions given for it. */
export interface FrameGrant {
  readonly start: bigint;
  readonly end: bigint;
  readonly permissions: number;
}

/**
 * The frames one PD was ever given, as sorted, disjoint runs with the union of the permissions
 * given for each frame. "Given" is monotone (nova.md §1.8 has no derivation tree to take it
 * back): revocation removes mappings, it does not make a later re-mapping of the frame foreign.
 */
export class FrameGrants {
  private runs: FrameGrant[] = [];

  get size(): number {
    return this.runs.length;
  }

  /** add [start, end) with `permissions` (ORed into what overlapping runs already had) */
  grant(start: bigint, end: bigint, permissions: number): void {
    if (start >= end || permissions === 0) return;
    const next: FrameGrant[] = [];
    let cursor = start;
    for (const run of this.runs) {
      if (run.end <= start || run.start >= end) {
        next.push(run);
        continue;
      }
      // the parts of the old run outside [start, end) keep their permissions
      if (run.start < start) next.push({ start: run.start, end: start, permissions: run.permissions });
      if (run.end > end) next.push({ start: end, end: run.end, permissions: run.permissions });
      const from = run.start > start ? run.start : start;
      const to = run.end < end ? run.end : end;
      if (from > cursor) next.push({ start: cursor, end: from, permissions });
      next.push({ start: from, end: to, permissions: run.permissions | permissions });
      cursor = to;
    }
    if (cursor < end) next.push({ start: cursor, end, permissions });
    next.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.runs = coalesce(next);
  }

  /**
   * The first frame of [start, end) not given with at least `permissions` (normalised through
   * `widen`, which says what a set of given bits becomes in the page-table format), or undefined
   * when the whole range is covered.
   */
  firstUncovered(start: bigint, end: bigint, permissions: number, widen: (given: number) => number = (given) => given): bigint | undefined {
    let cursor = start;
    let index = this.lowerBound(start);
    while (cursor < end) {
      const run = this.runs[index];
      if (run === undefined || run.start > cursor) return cursor;
      if ((permissions & ~widen(run.permissions)) !== 0) return cursor;
      cursor = run.end;
      index++;
    }
    return undefined;
  }

  /** the given permissions of `frame` (0 when never given) */
  permissionsOf(frame: bigint): number {
    const run = this.runs[this.lowerBound(frame)];
    return run !== undefined && run.start <= frame && frame < run.end ? run.permissions : 0;
  }

  /** index of the first run that ends after `frame` */
  private lowerBound(frame: bigint): number {
    let low = 0;
    let high = this.runs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.runs[middle] as FrameGrant).end <= frame) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function coalesce(runs: readonly FrameGrant[]): FrameGrant[] {
  const merged: FrameGrant[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.end === run.start && last.permissions === run.permissions) merged[merged.length - 1] = { ...last, end: run.end };
    else merged.push(run);
  }
  return merged;
}
