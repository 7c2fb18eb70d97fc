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
  /** physical frames outside the window for the private warm-up table */
  readonly warmupFramesBase: bigint;
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

const warmupFrames = new FrameAllocator([{ base: job.warmupFramesBase, size: 0x400_0000n }]);
const warmup = new RadixPageTable(format, warmupFrames, memory);
for (let i = 0; i < job.warmupPages; i++) {
  warmup.mapPage(0x7_0000_0000 + scatteredPageFast(i, job.warmupPages), i, PERMISSIONS, ATTRIBUTES);
}

const frames = new FrameAllocator([{ base: job.tableFramesBase, size: BigInt(job.tableFrames) * 0x1000n }]);
const table = new RadixPageTable(format, frames, memory, { rootAddress: job.rootAddress });
port.postMessage({ kind: "ready" } satisfies PoolMessage<ConcurrentMapResult>);
Atomics.wait(job.gate, 0, 0);
let mapped = 0;
let failures = 0;
for (const region of job.regions) {
  const basePage = Number(region.base >> 12n);
  const outputBasePage = Number(region.outputBase >> 12n);
  for (let j = 0; j < region.pages; j++) {
    const outcome = table.mapPage(basePage + scatteredPageFast(j, region.pages), outputBasePage + j, PERMISSIONS, ATTRIBUTES);
    if (outcome.ok) mapped += 1;
    else failures += 1;
  }
}
const result: ConcurrentMapResult = { mapped, failures, lostRaces: table.lostPublicationRaces() };
port.postMessage({ kind: "done", result } satisfies PoolMessage<ConcurrentMapResult>);
