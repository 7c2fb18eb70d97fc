import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import { bootTestKernel } from "../testkit/boot-test-kernel.js";
import { RootHelper } from "../testkit/root-helper.js";
import { IPI_LATENCY_NS } from "./simulator.js";

describe("simulator scheduling (reference/nova.md §7)", () => {
  it("a higher-priority SC that becomes ready preempts at once; the preempted one resumes its work", async () => {
    const times: Record<string, number> = {};
    await bootTestKernel({
      durationMs: 5,
      rootTask: async (api) => {
        const root = new RootHelper(api);
        await root.globalEc(0, async (low) => {
          times["lowStart"] = low.now();
          await low.compute(1_000_000);
          times["lowEnd"] = low.now();
        }, { priority: 10, budgetMs: 50 });
        const sm = await root.semaphore(0);
        await root.globalEc(0, async (high) => {
          await high.ctrlSm(sm, { down: true, deadlineNs: 300_000 });
          times["highWoke"] = high.now();
          await high.compute(200_000);
          times["highEnd"] = high.now();
        }, { priority: 20, budgetMs: 50 });
      },
    });
    // the high SC wakes exactly at its deadline, in the middle of low's compute
    expect(times["highWoke"]).toBe(300_000);
    expect(times["highEnd"]).toBe(times["highWoke"]! + 200_000);
    // low's 1 ms of work is delayed by exactly the time high ran
    expect(times["lowStart"]).toBeLessThan(300_000);
    expect(times["lowEnd"]! - times["lowStart"]!).toBe(1_000_000 + (times["highEnd"]! - times["highWoke"]!));
  });

  it("equal priorities share the CPU round robin with the budget as time slice", async () => {
    const { result } = await bootTestKernel({
      durationMs: 20,
      domains: [
        { name: "a", kind: "native", memoryMiB: 1, vcpus: 1, priority: 10, budgetMs: 2, workload: "busy-loop" },
        { name: "b", kind: "native", memoryMiB: 1, vcpus: 1, priority: 10, budgetMs: 2, workload: "busy-loop" },
        { name: "idle-prio", kind: "native", memoryMiB: 1, vcpus: 1, priority: 5, budgetMs: 2, workload: "busy-loop" },
      ],
    });
    const [a, b, low] = result.domains.map((domain) => domain.scUsedNs[0]!);
    expect(Math.abs(a! - b!)).toBeLessThanOrEqual(2_000_000);
    expect(a! + b!).toBeGreaterThan(19_000_000);
    expect(low).toBe(0);
  });

  it("a wake-up from another CPU goes through the release queue (RRQ IPI latency)", async () => {
    let wokeAt = 0;
    let upAt = 0;
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const sm = await root.semaphore(0);
        await root.globalEc(1, async (remote) => {
          expect((await remote.ctrlSm(sm, { down: true })).status).toBe(Status.SUCCESS);
          wokeAt = remote.now();
        }, { priority: 10, budgetMs: 5 });
        await root.sleepUntil(100_000);
        await api.ctrlSm(sm, { down: false });
        upAt = api.now();
      },
    });
    expect(wokeAt).toBe(upAt + IPI_LATENCY_NS);
  });

  it("a simulated EC that uses the API outside its turn is told so", async () => {
    const errors: string[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        await Promise.all([api.compute(10), api.compute(10)]).catch((error: Error) => errors.push(error.message));
      },
    });
    expect(errors).toEqual([expect.stringMatching(/outside its turn/)]);
  });

  it("ctrl_sc reports the time the kernel charged to the SC", async () => {
    let reported: bigint | undefined;
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const worker = await root.globalEc(0, async (ec) => {
          await ec.compute(250_000);
        }, { priority: 10, budgetMs: 5 });
        await root.sleepUntil(1_000_000);
        reported = (await api.ctrlSc(worker.sc)).results[0];
      },
    });
    // 250 µs of compute plus the kernel entries of the EC (none here: the body only computes)
    expect(reported).toBe(250_000n);
  });
});
