import { describe, expect, it } from "vitest";
import { AllocationFaultPlan, AllocationSite, createKernel, Status } from "@novakit/kernel-core";
import { Q35_TWO_DOMAINS } from "./fault-configurations.js";
import { countAllocations, injectAt, injectionPoints } from "./exhaustion-sweep.js";
import { accountingLeaks } from "./kernel-accounting.js";

describe("the allocation-fault seam", () => {
  it("a plan counts decisions, fails exactly the k-th, or everything from k on", () => {
    const once = new AllocationFaultPlan({ failAt: 2 });
    expect(["a", "b", "c"].map((site) => once.allow(site))).toEqual([true, false, true]);
    expect(once.injected).toEqual([{ index: 2, site: "b", injected: true }]);
    const after = new AllocationFaultPlan({ failAt: 2, failAllAfter: true });
    expect(["a", "b", "c"].map((site) => after.allow(site))).toEqual([true, false, false]);
    expect(after.sites()).toEqual(["a", "b", "c"]);
  });

  it("the ledger keeps frames until they are returned", () => {
    const plan = new AllocationFaultPlan();
    plan.framesTaken("iommu:devtab", 0x10000n, 2, undefined);
    plan.framesReturned(0x10000n, 1);
    expect(plan.liveFrames().map((frame) => [frame.site, frame.base])).toEqual([["iommu:devtab", 0x11000n]]);
  });

  it("sampling keeps every site's first and last occurrence", () => {
    const sites = ["a", "b", "b", "b", "b", "b", "b", "c", "b", "d"];
    const points = injectionPoints(sites, 2);
    expect(points).toEqual([1, 2, 6, 8, 9, 10]);
    expect(injectionPoints(sites, undefined)).toHaveLength(10);
  });

  it("a boot of the q35 example makes the same allocations every time, through every kind of site", async () => {
    const prepared = await Q35_TWO_DOMAINS.prepare();
    const [first, second] = [await countAllocations(prepared), await countAllocations(prepared)];
    expect(first.sites).toEqual(second.sites);
    for (const site of [AllocationSite.CAPABILITY_TABLE, AllocationSite.CREATE_PD, AllocationSite.CREATE_EC, AllocationSite.UTCB_FRAME, AllocationSite.HIP_FRAME, "pagetable:HST", "iommu:devtab", "iommu:cmdbuf", "iommu:evtlog"]) {
      expect(first.sites).toContain(site);
    }
  });

  it("the leak check finds a charge no object accounts for and a frame taken around the seam", async () => {
    const prepared = await Q35_TWO_DOMAINS.prepare();
    const plan = new AllocationFaultPlan();
    const kernel = createKernel({ config: prepared.config, plugins: prepared.requests, configDir: prepared.source.dir, allocationPolicy: plan });
    await kernel.boot();
    const state = kernel.internals.state;
    if (state === undefined) throw new Error("the boot left no kernel state");
    expect(accountingLeaks(state, plan)).toEqual([]);
    state.kernelQuota.tryCharge(64, "test:planted");
    state.frames.allocate();
    expect(accountingLeaks(state, plan).map((leak) => leak.kind).sort()).toEqual(["quota", "untracked-frame"]);
  });

  it("failing the root PD's creation surfaces MEM_OBJ through a NovakitError, with nothing left charged", async () => {
    const prepared = await Q35_TWO_DOMAINS.prepare();
    const { sites } = await countAllocations(prepared);
    const k = sites.indexOf(AllocationSite.CREATE_PD) + 1;
    const result = await injectAt(prepared, k);
    expect(result.outcome).toMatchObject({ kind: "status", status: "MEM_OBJ" });
    expect(result.leaks).toEqual([]);
    expect(Status.MEM_OBJ).toBeGreaterThan(0);
  });
});
