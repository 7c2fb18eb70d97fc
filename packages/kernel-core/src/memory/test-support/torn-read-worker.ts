import { parentPort, workerData } from "node:worker_threads";
import { FrameAllocator } from "../frame-allocator.js";
import { DEFAULT_ATTRIBUTES, MemoryPermission } from "../page-table-format.js";
import { PhysicalMemory } from "../physical-memory.js";
import { RadixPageTable } from "../radix-page-table.js";
import { testingPageTableFormat } from "../testing-format.js";

/** Input for one worker of the torn-read test (radix-page-table.concurrency.test.ts). */
export interface TornReadJob {
  readonly role: "writer" | "reader";
  readonly buffer: SharedArrayBuffer;
  readonly windowBase: bigint;
  readonly rootAddress: bigint;
  readonly tableFramesBase: bigint;
  readonly tableFrames: number;
  /** input pages firstPage .. firstPage + pages - 1 */
  readonly firstPage: number;
  readonly pages: number;
  /** the writer's rounds: map every page to outputA, replace by outputB, unmap */
  readonly rounds: number;
  /** [0]: the writer sets it to 1 when done; the reader stops then. [1]: the reader sets it to 1
   * when it starts; the writer waits for that, so on a loaded machine the two still overlap */
  readonly control: Int32Array;
}

export interface TornReadReport {
  readonly translations: number;
  /** translations that were neither "unmapped" nor one of the two outputs the writer ever used */
  readonly mixed: number;
  readonly failures: number;
}

/**
 * The two output pages the writer maps input page `page` to: they differ in both 32-bit halves
 * of the entry (frame-address bits 31:12 and 51:32), so a reader that combined the halves of
 * two entries would see a third value.
 */
export function outputsOf(page: number, firstPage: number): readonly [number, number] {
  const index = page - firstPage;
  return [0x10_0000 + index, 0x20_0000 + 0x80 + index];
}

const job = workerData as TornReadJob;
const memory = new PhysicalMemory({ base: job.windowBase, buffer: job.buffer });
const frames = new FrameAllocator([{ base: job.tableFramesBase, size: BigInt(job.tableFrames) * 0x1000n }]);
const table = new RadixPageTable(testingPageTableFormat, frames, memory, { rootAddress: job.rootAddress });
const permissions = MemoryPermission.R | MemoryPermission.W;
let translations = 0;
let mixed = 0;
let failures = 0;
if (job.role === "writer") {
  while (Atomics.load(job.control, 1) === 0) Atomics.wait(job.control, 1, 0, 50);
  for (let round = 0; round < job.rounds; round++) {
    for (let page = job.firstPage; page < job.firstPage + job.pages; page++) {
      const [a, b] = outputsOf(page, job.firstPage);
      // hole -> A (high half, then CAS of the low half), A -> B (64-bit exchange), B -> hole
      if (!table.mapPage(page, a, permissions, DEFAULT_ATTRIBUTES).ok) failures += 1;
      if (!table.mapPage(page, b, permissions, DEFAULT_ATTRIBUTES).ok) failures += 1;
      if (!table.unmapPage(page).ok) failures += 1;
    }
  }
  Atomics.store(job.control, 0, 1);
} else {
  Atomics.store(job.control, 1, 1);
  Atomics.notify(job.control, 1);
  do {
    for (let page = job.firstPage; page < job.firstPage + job.pages; page++) {
      const [a, b] = outputsOf(page, job.firstPage);
      const output = table.translatePage(page);
      translations += 1;
      if (output !== -1 && output !== a && output !== b) mixed += 1;
    }
  } while (Atomics.load(job.control, 0) === 0);
}
const report: TornReadReport = { translations, mixed, failures };
parentPort?.postMessage(report);
