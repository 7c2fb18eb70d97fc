import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import { RootObjectSelector } from "../abi/well-known-selectors.js";
import { bootTestKernel } from "../testkit/boot-test-kernel.js";
import { RootHelper } from "../testkit/root-helper.js";

describe("semaphores (reference/nova.md §1.7, §2.4 ctrl_sm)", () => {
  it("up wakes the waiters in FIFO order", async () => {
    const woken: string[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const sm = await root.semaphore(0);
        for (const name of ["first", "second", "third"]) {
          await root.globalEc(0, async (ec) => {
            const result = await ec.ctrlSm(sm, { down: true });
            woken.push(`${name} ${result.status}`);
          }, { priority: 10, budgetMs: 5 });
          await root.sleepUntil(api.now() + 10_000); // each one blocks before the next exists
        }
        for (let i = 0; i < 3; i++) {
          expect((await api.ctrlSm(sm, { down: false })).status).toBe(Status.SUCCESS);
          await root.sleepUntil(api.now() + 50_000);
        }
      },
    });
    expect(woken).toEqual([`first ${Status.SUCCESS}`, `second ${Status.SUCCESS}`, `third ${Status.SUCCESS}`]);
  });

  it("down times out at the absolute deadline only if still blocked; Z zeroes the counter", async () => {
    const seen: string[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const sm = await root.semaphore(0);
        const timed = await api.ctrlSm(sm, { down: true, deadlineNs: api.now() + 50_000 });
        seen.push(`timeout ${timed.status} ${api.now() >= 50_000}`);
        // a waiter woken by up before its deadline sees SUCCESS, and the stale deadline is ignored later
        await root.globalEc(0, async (ec) => {
          seen.push(`early ${(await ec.ctrlSm(sm, { down: true, deadlineNs: 400_000 })).status}`);
          seen.push(`later ${(await ec.ctrlSm(sm, { down: true })).status} ${ec.now() >= 600_000}`);
        }, { priority: 10, budgetMs: 5 });
        await root.sleepUntil(200_000);
        await api.ctrlSm(sm, { down: false });
        await root.sleepUntil(600_000);
        await api.ctrlSm(sm, { down: false });
        await root.sleepUntil(700_000);
        const counted = await root.semaphore(5);
        seen.push(`z ${(await api.ctrlSm(counted, { down: true, zero: true })).status}`);
        seen.push(`empty ${(await api.ctrlSm(counted, { down: true, deadlineNs: 1 })).status}`);
      },
    });
    expect(seen).toEqual([
      `timeout ${Status.TIMEOUT} true`,
      `early ${Status.SUCCESS}`,
      `later ${Status.SUCCESS} true`,
      `z ${Status.SUCCESS}`,
      `empty ${Status.TIMEOUT}`,
    ]);
  });

  it("up at 2^64-1 is OVRFLOW; missing CTRL_UP / CTRL_DN or a non-SM capability is BAD_CAP", async () => {
    const statuses: number[] = [];
    await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const full = await root.semaphore((1n << 64n) - 1n);
        statuses.push((await api.ctrlSm(full, { down: false })).status);
        statuses.push((await api.ctrlSm(full, { down: true })).status);
        statuses.push((await api.ctrlSm(full, { down: false })).status);
        // a copy with CTRL_DN only
        const downOnly = root.selector();
        await root.must(
          "ctrl_pd",
          api.ctrlPd(RootObjectSelector.ROOT_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: full, destinationBase: downOnly, order: 0, permissionMask: 0x2 }),
        );
        statuses.push((await api.ctrlSm(downOnly, { down: false })).status);
        statuses.push((await api.ctrlSm(downOnly, { down: true })).status);
        statuses.push((await api.ctrlSm(RootObjectSelector.ROOT_PD, { down: false })).status);
      },
    });
    expect(statuses).toEqual([Status.OVRFLOW, Status.SUCCESS, Status.SUCCESS, Status.BAD_CAP, Status.SUCCESS, Status.BAD_CAP]);
  });
});
