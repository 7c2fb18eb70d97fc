import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import { bootTestKernel } from "../testkit/boot-test-kernel.js";
import { RootHelper } from "../testkit/root-helper.js";
import type { HypercallResult } from "./workload.js";

describe("IPC (reference/nova.md §2.4)", () => {
  it("copies (MTD mod 512) + 1 words each way and returns the reply MTD in p1", async () => {
    const seenByServer: bigint[] = [];
    const seenByClient: bigint[] = [];
    let outcome: HypercallResult | undefined;
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const server = await root.localEc(0, async (serverApi, call) => {
          for (let i = 0; i < 6; i++) seenByServer.push(serverApi.utcb.get(i));
          expect(call.mtd).toBe(512n + 3n);
          expect(call.ip).toBe(7n);
          for (let i = 0; i < 6; i++) serverApi.utcb.set(i, 900n + BigInt(i));
          return 1n; // two words back
        });
        const portal = await root.portal(server, 7);
        for (let i = 0; i < 6; i++) api.utcb.set(i, 100n + BigInt(i));
        outcome = await api.call(portal, 512 + 3);
        for (let i = 0; i < 6; i++) seenByClient.push(api.utcb.get(i));
      },
    });
    expect(outcome).toEqual({ status: Status.SUCCESS, results: [1n] });
    expect(seenByServer).toEqual([100n, 101n, 102n, 103n, 0n, 0n]);
    expect(seenByClient).toEqual([900n, 901n, 102n, 103n, 104n, 105n]);
  });

  it("answers BAD_CPU for a callee on another CPU and BAD_CAP without CALL permission", async () => {
    const statuses: number[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const remote = await root.portal(await root.localEc(1, async () => 0n));
        statuses.push((await api.call(remote, 0)).status);
        statuses.push((await api.call(0x3000, 0)).status);
      },
    });
    expect(statuses).toEqual([Status.BAD_CPU, Status.BAD_CAP]);
  });

  it("a busy callee: T gives TIMEOUT, otherwise the caller helps it finish and then retries", async () => {
    const events: string[] = [];
    await bootTestKernel({
      durationMs: 10,
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const server = await root.localEc(0, async (serverApi, call) => {
          events.push(`serve ${call.mtd} at ${serverApi.now()}`);
          await serverApi.compute(1_000_000);
          return call.mtd;
        });
        const portal = await root.portal(server);
        // A (low priority) calls first; B (high priority) wakes at 100 µs while A's call is served
        await root.globalEc(0, async (a) => {
          const result = await a.call(portal, 1);
          events.push(`A ${result.status} at ${a.now()}`);
        }, { priority: 10, budgetMs: 50 });
        const wake = await root.semaphore(0);
        await root.globalEc(0, async (b) => {
          await b.ctrlSm(wake, { down: true, deadlineNs: 100_000 });
          const timedOut = await b.call(portal, 2, true);
          events.push(`B-T ${timedOut.status}`);
          const helped = await b.call(portal, 2);
          events.push(`B ${helped.status} at ${b.now()}`);
        }, { priority: 20, budgetMs: 50 });
      },
    });
    expect(events[0]).toMatch(/^serve 1 at /);
    expect(events[1]).toBe(`B-T ${Status.TIMEOUT}`);
    expect(events[2]).toMatch(/^serve 2 at /);
    // B's SC drove the rest of A's request, so B's call ends ~1 ms after A's request ended
    const serveB = Number(events[2]!.split(" at ")[1]);
    expect(serveB).toBeGreaterThanOrEqual(1_000_000);
    expect(events[3]).toMatch(new RegExp(`^B ${Status.SUCCESS} at `));
    expect(Number(events[3]!.split(" at ")[1])).toBeGreaterThanOrEqual(serveB + 1_000_000);
    // A resumes only after higher-priority B is done
    expect(events[4]).toMatch(new RegExp(`^A ${Status.SUCCESS} at `));
  });

  it("answers ABORTED when the callee dies during the call, and reports the fault", async () => {
    let outcome: HypercallResult | undefined;
    const { result } = await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const portal = await root.portal(
          await root.localEc(0, async (serverApi) => {
            await serverApi.compute(1000);
            throw new Error("server crashed");
          }),
        );
        outcome = await api.call(portal, 0);
      },
    });
    expect(outcome?.status).toBe(Status.ABORTED);
    expect(result.faults.map((fault) => fault.detail)).toEqual([expect.stringContaining("server crashed")]);
  });

  it("a helper of a callee that dies gets ABORTED", async () => {
    const statuses: string[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const portal = await root.portal(
          await root.localEc(0, async (serverApi) => {
            await serverApi.compute(500_000);
            throw new Error("dies while busy");
          }),
        );
        await root.globalEc(0, async (a) => {
          statuses.push(`A ${(await a.call(portal, 0)).status}`);
        }, { priority: 10, budgetMs: 10 });
        const wake = await root.semaphore(0);
        await root.globalEc(0, async (b) => {
          await b.ctrlSm(wake, { down: true, deadlineNs: 100_000 });
          statuses.push(`B ${(await b.call(portal, 0)).status}`);
        }, { priority: 20, budgetMs: 10 });
      },
    });
    expect(statuses.sort()).toEqual([`A ${Status.ABORTED}`, `B ${Status.ABORTED}`]);
  });
});
