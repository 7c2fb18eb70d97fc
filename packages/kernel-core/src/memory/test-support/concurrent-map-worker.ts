import { parentPort, workerData } from "node:worker_threads";
import { FrameAllocator } from "../frame-allocator.js";
import { DEFAULT_ATTRIBUTES, MemoryPermission } from "../page-table-format.js";
import { PhysicalMemory } from "../physical-memory.js";
import { RadixPageTable } from "../radix-page-table.js";
import { testingPageTableFormat } from "../testing-format.js";

/** Input for one worker of the concurrent-map test (radix-page-table.concurrency.test.ts). */
export interface ConcurrentMapJob {
  readonly buffer: SharedArrayBuffer;
  readonly windowBase: bigint;
  readonly rootAddress: bigint;
  /** this worker's own frames for tables, inside the window */
  readonly tableFramesBase: bigint;
  readonly tableFrames: number;
  readonly worker: number;
  readonly workers: number;
  readonly pages: number;
  readonly inputBase: bigint;
}

export interface ConcurrentMapReport {
  readonly worker: number;
  readonly tablesHeld: number;
  readonly lostRaces: number;
  readonly failures: number;
}

// Every worker maps every `workers`-th page of the same range, so all of them need the same
// intermediate tables at the same time and race to install them; their leaves interleave in
// the same last-level tables.
const job = workerData as ConcurrentMapJob;
const memory = new PhysicalMemory({ base: job.windowBase, buffer: job.buffer });
const frames = new FrameAllocator([{ base: job.tableFramesBase, size: BigInt(job.tableFrames) * 0x1000n }]);
const table = new RadixPageTable(testingPageTableFormat, frames, memory, { rootAddress: job.rootAddress });
let failures = 0;
for (let page = job.worker; page < job.pages; page += job.workers) {
  const offset = BigInt(page) << 12n;
  const result = table.map(job.inputBase + offset, 0x1_0000_0000n + offset, 0, MemoryPermission.R | MemoryPermission.W, DEFAULT_ATTRIBUTES);
  if (!result.ok) failures += 1;
}
const report: ConcurrentMapReport = {
  worker: job.worker,
  tablesHeld: job.tableFrames - frames.freeCount(),
  lostRaces: table.lostPublicationRaces(),
  failures,
};
parentPort?.postMessage(report);
