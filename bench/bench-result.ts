/**
 * One benchmark figure: operations done, wall-clock seconds they took, operations per second.
 * Page-table benchmarks add the native C baseline (bench/native) and ratio = ours / native.
 */
export interface BenchResult {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly native?: { readonly opsPerSec: number } | null;
  readonly ratio?: number | null;
  readonly note?: string;
}

/** A figure that is not a rate (pt.bytesPerPage), printed beside the rates. */
export interface BenchFigure {
  readonly name: string;
  readonly [figure: string]: unknown;
}

export function result(name: string, ops: number, nanoseconds: bigint, note?: string): BenchResult {
  const seconds = Number(nanoseconds) / 1e9;
  return { name, ops, seconds: Number(seconds.toFixed(6)), opsPerSec: Number((ops / seconds).toPrecision(6)), ...(note ? { note } : {}) };
}
