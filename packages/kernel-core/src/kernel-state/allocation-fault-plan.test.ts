import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import { AllocationFaultPlan } from "./allocation-fault-plan.js";
import { AllocationSite, UNRESTRICTED_ALLOCATIONS } from "./kernel-allocation-policy.js";
import { KernelQuota } from "./kernel-quota.js";
import { createTestKernel } from "./test-support/test-kernel.js";

describe("the kernel allocation seam", () => {
  it("a quota asks its policy (inherited by child quotas) and a refused charge changes nothing", () => {
    const plan = new AllocationFaultPlan({ failAt: 2 });
    const root = new KernelQuota(undefined, undefined, plan);
    const child = new KernelQuota(undefined, root);
    expect(child.allocationPolicy).toBe(plan);
    expect(child.tryCharge(64, "a")).toBe(true);
    expect(child.tryCharge(64, "b")).toBe(false);
    expect([child.usedBytes, root.usedBytes]).toEqual([64, 64]);
    expect(new KernelQuota(undefined, undefined).allocationPolicy).toBe(UNRESTRICTED_ALLOCATIONS);
  });

  it("names every creation site of the kernel state and keeps its frame ledger in step with the allocator", () => {
    const plan = new AllocationFaultPlan();
    const { state } = createTestKernel({ allocationPolicy: plan });
    // the test kernel reserves its image range in the frame allocator: not an allocation
    const allocatedFrames = () => state.frames.allocatedExtents().reduce((sum, extent) => sum + extent.end - extent.start, 0);
    const reserved = allocatedFrames() - plan.liveFrames().length;
    const pd = state.createProtectionDomain(state.novaPd, "probe");
    if (!pd.ok) throw new Error("create PD failed");
    pd.object.publish(); // as the capability create_pd installs would
    for (const kind of ["OBJ", "HST", "PIO", "DMA"] as const) {
      const space = state.createSpace(kind, pd.object);
      expect([kind, space.ok]).toEqual([kind, true]);
      if (space.ok) space.object.publish(); // the EC takes references on its spaces
    }
    const ec = state.createExecutionContext(pd.object, { kind: "local", cpu: 0, fpu: false, eventBase: 0n, hostAddress: 0x10000n, stackPointer: 0n });
    expect(ec).toEqual(expect.objectContaining({ ok: true }));
    expect(plan.sites()).toEqual(
      expect.arrayContaining([AllocationSite.CAPABILITY_TABLE, AllocationSite.CREATE_PD, AllocationSite.SPACE_OBJ, AllocationSite.SPACE_HST, "pagetable:HST", AllocationSite.SPACE_PIO, AllocationSite.SPACE_DMA, "pagetable:DMA", AllocationSite.CREATE_EC, AllocationSite.UTCB_FRAME]),
    );
    expect(plan.liveFrames().length).toBeGreaterThan(3);
    expect(plan.liveFrames()).toHaveLength(allocatedFrames() - reserved);
  });

  it("every allocation of a space's creation can fail: MEM_OBJ, the quota back where it was, no frame kept", () => {
    const counting = new AllocationFaultPlan();
    const probe = createTestKernel({ allocationPolicy: counting });
    const before = counting.allocations.length;
    const pd = probe.state.createProtectionDomain(probe.state.novaPd, "probe");
    if (!pd.ok) throw new Error("create PD failed");
    pd.object.publish();
    expect(probe.state.createSpace("HST", pd.object).ok).toBe(true);
    const steps = counting.allocations.length - before;
    expect(steps).toBeGreaterThan(2);
    for (let k = before + 2; k <= before + steps; k++) {
      const plan = new AllocationFaultPlan({ failAt: k });
      const { state } = createTestKernel({ allocationPolicy: plan });
      const victim = state.createProtectionDomain(state.novaPd, "probe");
      if (!victim.ok) throw new Error("create PD failed");
      victim.object.publish();
      const used = victim.object.ownQuota.usedBytes;
      const free = state.frames.freeCount();
      const space = state.createSpace("HST", victim.object);
      expect({ k, ok: space.ok, status: space.ok ? undefined : space.status }).toEqual({ k, ok: false, status: Status.MEM_OBJ });
      expect([victim.object.ownQuota.usedBytes, state.frames.freeCount()]).toEqual([used, free]);
    }
  });
});
