import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Start a worker from a bench entry that exists as `.ts` (under tsx, how `npm run bench` runs
 * bench/) or as compiled `.js`. Node 20 cannot load a `.ts` worker entry even under tsx, so a `.ts`
 * entry is started through an eval bootstrap that registers tsx inside the worker first
 * (reference/toolchain.md §9). tsx's API is resolved here, against this module, because eval code
 * resolves bare specifiers against the working directory.
 */
export function createWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, options);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** The sibling of this module named `name` in the current mode (`.ts` under tsx, `.js` compiled). */
export function benchEntry(name: string): URL {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${extension}`, import.meta.url);
}

/** Messages a pooled worker sends: first `ready` (set up and warmed up), then `done` with its result. */
export type PoolMessage<Result> = { readonly kind: "ready" } | { readonly kind: "done"; readonly result: Result };

export interface PoolRun<Result> {
  readonly results: Result[];
  /** wall-clock nanoseconds from opening the gate to the last worker's `done` */
  readonly elapsed: bigint;
}

/**
 * A pool of workers that start together: each worker sets itself up (module loading, JIT warm-up)
 * and reports `ready`, then blocks in Atomics.wait on `gate[0]`; the pool opens the gate for all
 * at once and times until every worker reported `done`. So the figure is the parallel work only,
 * not thread start-up. Every job gets the gate as `gate` in its workerData.
 */
export async function runGatedPool<Job extends object, Result>(entry: URL, jobs: readonly Job[]): Promise<PoolRun<Result>> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const workers = jobs.map((job) => createWorker(entry, { workerData: { ...job, gate } }));
  const ready: Promise<void>[] = [];
  const done: Promise<Result>[] = [];
  for (const worker of workers) {
    let markReady: () => void = () => undefined;
    ready.push(new Promise<void>((resolve) => (markReady = resolve)));
    done.push(
      new Promise<Result>((resolve, reject) => {
        worker.on("message", (message: PoolMessage<Result>) => {
          if (message.kind === "ready") markReady();
          else resolve(message.result);
        });
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (code !== 0) reject(new Error(`bench worker exited with code ${code}`));
        });
      }),
    );
  }
  try {
    // a worker that dies during set-up rejects `done` while `ready` never settles: race them
    await Promise.race([Promise.all(ready), Promise.all(done)]);
    const start = process.hrtime.bigint();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const results = await Promise.all(done);
    return { results, elapsed: process.hrtime.bigint() - start };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
