import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "./frame-allocator.js";
import { PhysicalMemory } from "./physical-memory.js";
import { RadixPageTable } from "./radix-page-table.js";
import { DEFAULT_ATTRIBUTES } from "./page-table-format.js";
import { testingPageTableFormat } from "./testing-format.js";
import type { ConcurrentMapJob, ConcurrentMapReport } from "./test-support/concurrent-map-worker.js";
import type { TornReadJob, TornReadReport } from "./test-support/torn-read-worker.js";

/** reference/toolchain.md §9: a .ts worker entry needs tsx registered inside the worker. */
function createWorker(url: URL, workerData: ConcurrentMapJob | TornReadJob): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

function run<Report = ConcurrentMapReport>(worker: Worker): Promise<Report> {
  return new Promise((resolve, reject) => {
    worker.once("message", (report: Report) => resolve(report));
    worker.once("error", reject);
  });
}

describe("RadixPageTable across worker threads", () => {
  it("loses no update when workers install tables and leaves concurrently", async () => {
    const windowBase = 0x100_0000n;
    const framesPerWorker = 64;
    const workers = 4;
    const buffer = new SharedArrayBuffer((1 + workers * framesPerWorker) * 4096);
    const memory = new PhysicalMemory({ base: windowBase, buffer });
    // frame 0 of the window is the root; each worker owns the next 64 frames for its tables
    const rootFrames = new FrameAllocator([{ base: windowBase, size: 0x1000n }]);
    const table = new RadixPageTable(testingPageTableFormat, rootFrames, memory);
    const pages = 4 * 512;
    const inputBase = 0x3000_0000_0000n;
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const reports = await Promise.all(
      Array.from({ length: workers }, (_, worker) =>
        run(
          createWorker(new URL(`./test-support/concurrent-map-worker${ext}`, import.meta.url), {
            buffer,
            windowBase,
            rootAddress: table.rootAddress,
            tableFramesBase: windowBase + BigInt((1 + worker * framesPerWorker) * 4096),
            tableFrames: framesPerWorker,
            worker,
            workers,
            pages,
            inputBase,
          }),
        ),
      ),
    );
    expect(reports.map((report) => report.failures)).toEqual([0, 0, 0, 0]);
    for (let page = 0; page < pages; page++) {
      const offset = BigInt(page) << 12n;
      expect(table.lookup(inputBase + offset)?.outputAddress).toBe(0x1_0000_0000n + offset);
    }
    // every table a worker still holds is in the tree: losers freed theirs
    const stats = table.stats();
    expect(stats.tablesPerLevel).toEqual([4, 1, 1, 1]);
    expect(reports.reduce((sum, report) => sum + report.tablesHeld, 0)).toBe(4 + 1 + 1);
  });

  it("never shows a reader an entry made of the halves of two different entries", async () => {
    // a writer maps, replaces and unmaps the leaves of one level-0 table over and over, while a
    // reader translates the same pages through the direct and recorded walks (plain 32-bit reads)
    const windowBase = 0x100_0000n;
    const framesPerWorker = 64;
    // the first 64 frames of the window for this thread's root and path, 64 more per worker
    const buffer = new SharedArrayBuffer(3 * framesPerWorker * 4096);
    const memory = new PhysicalMemory({ base: windowBase, buffer });
    const table = new RadixPageTable(testingPageTableFormat, new FrameAllocator([{ base: windowBase, size: BigInt(framesPerWorker * 4096) }]), memory);
    const control = new Int32Array(new SharedArrayBuffer(8));
    const firstPage = 0x3_0000_0000 / 4096;
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const url = new URL(`./test-support/torn-read-worker${ext}`, import.meta.url);
    const job = (role: TornReadJob["role"], worker: number): TornReadJob => ({
      role,
      buffer,
      windowBase,
      rootAddress: table.rootAddress,
      tableFramesBase: windowBase + BigInt((1 + worker) * framesPerWorker * 4096),
      tableFrames: framesPerWorker,
      firstPage,
      pages: 512,
      rounds: 400,
      control,
    });
    // the table path exists before either starts, so both walk the same level-0 table at once
    expect(table.mapPage(firstPage, 0x10_0000, 3, DEFAULT_ATTRIBUTES).ok).toBe(true);
    const [writer, reader] = await Promise.all([
      run<TornReadReport>(createWorker(url, job("writer", 0))),
      run<TornReadReport>(createWorker(url, job("reader", 1))),
    ]);
    expect(writer.failures).toBe(0);
    expect(reader.translations).toBeGreaterThan(0);
    expect(reader.mixed).toBe(0);
    for (let page = firstPage; page < firstPage + 512; page++) expect(table.translatePage(page)).toBe(-1);
  });
});
