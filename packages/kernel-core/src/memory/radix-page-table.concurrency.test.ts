import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "./frame-allocator.js";
import { PhysicalMemory } from "./physical-memory.js";
import { RadixPageTable } from "./radix-page-table.js";
import { testingPageTableFormat } from "./testing-format.js";
import type { ConcurrentMapJob, ConcurrentMapReport } from "./test-support/concurrent-map-worker.js";

/** reference/toolchain.md §9: a .ts worker entry needs tsx registered inside the worker. */
function createWorker(url: URL, workerData: ConcurrentMapJob): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

function run(worker: Worker): Promise<ConcurrentMapReport> {
  return new Promise((resolve, reject) => {
    worker.once("message", (report: ConcurrentMapReport) => resolve(report));
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
});
