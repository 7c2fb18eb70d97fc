import "reflect-metadata";
import { parentPort, workerData } from "node:worker_threads";
import { FrameAllocator, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { ATTRIBUTES, benchFormat, PERMISSIONS, scatteredPageFast } from "./page-table-workload.js";
import type { PoolMessage } from "./worker-pool.js";

/** One region to map: `pages` pages scattered over base.., page j to output outputBase + j * 4 KiB. */
export interface RegionJob {
  readonly base: bigint;
  readonly outputBase: bigint;
  readonly pages: number;
}

/** What bench/page-tables.ts gives a worker of pt.concurrent.*. */
export interface ConcurrentMapJob {
  readonly buffer: SharedArrayBuffer;
  readonly windowBase: bigint;
  readonly rootAddress: bigint;
  /** this worker's own frames for tables, inside the shared window */
  readonly tableFramesBase: bigint;
  readonly tableFrames: number;
  readonly regions: readonly RegionJob[];
  /** this worker's frames (in the window, apart from the shared table's) for its private warm-up table */
  readonly warmupFramesBase: bigint;
  readonly warmupFrames: number;
  readonly warmupPages: number;
}

export interface ConcurrentMapResult {
  readonly mapped: number;
  readonly failures: number;
  readonly lostRaces: number;
}

// Runs in a worker of runGatedPool: set up a view of the shared table, warm the JIT up on a
// private table, report ready, wait for the gate, map, report.
const job = workerData as ConcurrentMapJob & { readonly gate: Int32Array };
const port = parentPort;
if (port === null) throw new Error("page-table-worker runs as a worker thread only");
const format = benchFormat();
const memory = new PhysicalMemory({ base: job.windowBase, buffer: job.buffer });

/**
 * map `pages` pages of each region into `table`; returns [mapped, failed]. In a function, not at
 * the module's top level: top-level code runs once, so V8 compiles its loop on the stack with
 * every variable in the module's context, and the loop ran at half the speed (measured).
 */
function mapRegions(table: RadixPageTable, regions: readonly RegionJob[]): readonly [number, number] {
  let mapped = 0;
  let failures = 0;
  for (const region of regions) {
    const basePage = Number(region.base >> 12n);
    const outputBasePage = Number(region.outputBase >> 12n);
    for (let j = 0; j < region.pages; j++) {
      const outcome = table.mapPage(basePage + scatteredPageFast(j, region.pages), outputBasePage + j, PERMISSIONS, ATTRIBUTES);
      if (outcome.ok) mapped += 1;
      else failures += 1;
    }
  }
  return [mapped, failures];
}

// the warm-up maps through the same function, on a private table in this worker's own frames
const warmupFrames = new FrameAllocator([{ base: job.warmupFramesBase, size: BigInt(job.warmupFrames) * 0x1000n }]);
const warmup = new RadixPageTable(format, warmupFrames, memory);
mapRegions(warmup, [{ base: 0x7_0000_0000n << 12n, outputBase: 0n, pages: job.warmupPages }]);

const frames = new FrameAllocator([{ base: job.tableFramesBase, size: BigInt(job.tableFrames) * 0x1000n }]);
const table = new RadixPageTable(format, frames, memory, { rootAddress: job.rootAddress });
port.postMessage({ kind: "ready" } satisfies PoolMessage<ConcurrentMapResult>);
Atomics.wait(job.gate, 0, 0);
const [mapped, failures] = mapRegions(table, job.regions);
const result: ConcurrentMapResult = { mapped, failures, lostRaces: table.lostPublicationRaces() };
port.postMessage({ kind: "done", result } satisfies PoolMessage<ConcurrentMapResult>);
