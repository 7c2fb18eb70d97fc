/** Answers whether a candidate still shows the failure being minimised. */
export type FailurePredicate = (candidate: Uint8Array) => boolean | Promise<boolean>;

export interface DdminOptions {
  /** stop after this many predicate calls and return the smallest failing input so far */
  readonly maxTests?: number;
  /** asked before each predicate call; true stops as maxTests does (a time budget, for slow targets) */
  readonly outOfTime?: () => boolean;
}

export interface DdminResult {
  readonly minimised: Uint8Array;
  readonly tests: number;
  /** false when maxTests ran out before the input was 1-minimal */
  readonly complete: boolean;
}

const DEFAULT_MAX_TESTS = 5_000;

/**
 * Zeller and Hildebrandt's delta debugging (ddmin, TSE 2002) over bytes: split the failing input
 * into n chunks; keep any chunk, or any complement of a chunk, that still fails; otherwise split
 * finer. Ends with an input from which no single byte can be removed (1-minimal) or when the
 * test budget is spent. The predicate is never asked about the original input again.
 */
export async function ddmin(failing: Uint8Array, stillFails: FailurePredicate, options: DdminOptions = {}): Promise<DdminResult> {
  const maxTests = options.maxTests ?? DEFAULT_MAX_TESTS;
  const outOfTime = options.outOfTime ?? (() => false);
  let current = failing;
  let granularity = 2;
  let tests = 0;
  const test = async (candidate: Uint8Array): Promise<boolean> => {
    tests++;
    return stillFails(candidate);
  };

  if (current.length > 0 && tests < maxTests && !outOfTime() && (await test(new Uint8Array(0)))) return { minimised: new Uint8Array(0), tests, complete: true };
  while (current.length >= 2) {
    const chunks = split(current, granularity);
    let reduced = false;
    for (const chunk of chunks) {
      if (tests >= maxTests || outOfTime()) return { minimised: current.slice(), tests, complete: false };
      if (await test(chunk)) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && granularity > 2) {
      for (let index = 0; index < chunks.length; index++) {
        if (tests >= maxTests || outOfTime()) return { minimised: current.slice(), tests, complete: false };
        const complement = joinExcept(chunks, index);
        if (await test(complement)) {
          current = complement;
          granularity = Math.max(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(granularity * 2, current.length);
    }
  }
  return { minimised: current.slice(), tests, complete: true };
}

function split(input: Uint8Array, parts: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (let index = 0; index < parts; index++) {
    const end = start + Math.floor((input.length - start) / (parts - index));
    if (end > start) chunks.push(input.subarray(start, end));
    start = end;
  }
  return chunks;
}

function joinExcept(chunks: readonly Uint8Array[], skipped: number): Uint8Array {
  const total = chunks.reduce((sum, chunk, index) => sum + (index === skipped ? 0 : chunk.length), 0);
  const out = new Uint8Array(total);
  let offset = 0;
  chunks.forEach((chunk, index) => {
    if (index === skipped) return;
    out.set(chunk, offset);
    offset += chunk.length;
  });
  return out;
}
