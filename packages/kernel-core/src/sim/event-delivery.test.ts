import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import { RootObjectSelector } from "../abi/well-known-selectors.js";
import { bootTestKernel } from "../testkit/boot-test-kernel.js";
import { helperEventBase, RootHelper } from "../testkit/root-helper.js";

describe("event delivery (reference/nova.md §2.6)", () => {
  it("binding the first SC raises STARTUP at SELEVT+32; without an EVENT portal the EC is killed", async () => {
    const ran: string[] = [];
    const { result } = await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const startups: bigint[] = [];
        await root.eventPortal(0, 32, async (_handlerApi, call) => {
          startups.push(BigInt(call.event ?? -1));
          ran.push(`startup event ${call.event} from EC ${call.sourceEc !== undefined}`);
          return 0n;
        });
        await root.globalEc(0, async () => {
          ran.push("body on CPU 0");
        }, { priority: 10, budgetMs: 5 }, { startupPortal: false });
        await root.globalEc(1, async () => {
          ran.push("body on CPU 1");
        }, { priority: 10, budgetMs: 5 }, { startupPortal: false });
      },
    });
    expect(ran).toEqual(["startup event 32 from EC true", "body on CPU 0"]);
    expect(result.faults).toHaveLength(1);
    expect(result.faults[0]!.detail).toMatch(/event 32: no portal with EVENT permission/);
  });

  it("exceptions go to SELEVT+vector and return; POISON in the reply kills; RECALL goes to SELEVT+33", async () => {
    const seen: string[] = [];
    const { result } = await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        await root.eventPortal(0, 14, async (_h, call) => {
          seen.push(`#PF handled (event ${call.event})`);
          return 0n;
        });
        await root.eventPortal(0, 13, async () => 1n); // POISON
        await root.eventPortal(0, 33, async (_h, call) => {
          seen.push(`recall (event ${call.event})`);
          return 0n;
        });
        const worker = await root.globalEc(0, async (ec) => {
          await ec.exception(14);
          seen.push("continued after #PF");
          await ec.compute(300_000);
          seen.push("computed");
          await ec.exception(13);
          seen.push("never: poisoned");
        }, { priority: 10, budgetMs: 5 });
        await root.sleepUntil(100_000);
        expect((await api.ctrlEc(worker.ec)).status).toBe(Status.SUCCESS);
      },
    });
    expect(seen).toEqual(["#PF handled (event 14)", "continued after #PF", "recall (event 33)", "computed"]);
    expect(result.faults.map((fault) => fault.detail)).toEqual([expect.stringMatching(/POISON/)]);
    expect(helperEventBase(0)).toBeGreaterThan(0);
  });

  it("an event portal bound to an EC on another CPU kills the faulting EC", async () => {
    const { result } = await bootTestKernel({
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const remoteHandler = await root.localEc(1, async () => 0n);
        await root.must("create_pt", api.createPt(helperEventBase(0) + 32, RootObjectSelector.ROOT_PD, remoteHandler, 0));
        await root.globalEc(0, async () => undefined, { priority: 10, budgetMs: 1 }, { startupPortal: false });
      },
    });
    expect(result.faults.map((fault) => fault.detail)).toEqual([expect.stringMatching(/not a live EC on CPU 0/)]);
  });
});
