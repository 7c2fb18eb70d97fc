import { describe, expect, it } from "vitest";
import { encodeEcPlacement, encodeScd, encodeSelectorWord } from "../abi/descriptors.js";
import { EC_PERMISSIONS_DEFINED, EcPermission, PdPermission, PT_PERMISSIONS_DEFINED, SPACE_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import { RootObjectSelector } from "../abi/well-known-selectors.js";
import type { ObjectCreatedEvent } from "../hooks/hook-types.js";
import { createTestKernel, type TestKernel } from "../kernel-state/test-support/test-kernel.js";
import { ExecutionContext } from "../objects/execution-context.js";
import type { HostSpace } from "../objects/host-space.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { SchedulingContext } from "../objects/scheduling-context.js";
import { Semaphore } from "../objects/semaphore.js";
import { lookupCapability } from "./capability-lookup.js";
import { CreateEcFlag } from "./create-ec.js";

const ROOT_PD = BigInt(RootObjectSelector.ROOT_PD);
const ROOT_EC = BigInt(RootObjectSelector.ROOT_EC);
const OP = { PD: 0, OBJ: 1, HST: 2, GST: 3, DMA: 4, PIO: 5, MSR: 6 } as const;

/** copy root selector `from` to `to` with permissions masked by `mask` (OBJ -> OBJ within the root). */
function copyMasked(k: TestKernel, from: bigint, to: bigint, mask: number): void {
  const self = BigInt(RootObjectSelector.ROOT_OBJ);
  expect(k.call("ctrl_pd", 0, self, self, encodeSelectorWord(from, 0), encodeSelectorWord(to, mask), 0n).status).toBe(Status.SUCCESS);
}

/** a PD with OBJ, HST (and PIO) spaces at sel, sel+1, sel+2, sel+3 */
function childPd(k: TestKernel, sel: bigint): void {
  expect(k.call("create_pd", OP.PD, sel, ROOT_PD).status).toBe(Status.SUCCESS);
  expect(k.call("create_pd", OP.OBJ, sel + 1n, sel).status).toBe(Status.SUCCESS);
  expect(k.call("create_pd", OP.HST, sel + 2n, sel).status).toBe(Status.SUCCESS);
  expect(k.call("create_pd", OP.PIO, sel + 3n, sel).status).toBe(Status.SUCCESS);
}

const placement = (cpu = 0, hva = 0x10000n): bigint => encodeEcPlacement({ hostAddress: hva, cpu });

describe("create_pd", () => {
  it("creates a PD whose capability carries the parent capability's permissions, and fires objectCreated", () => {
    const k = createTestKernel();
    const events: ObjectCreatedEvent[] = [];
    k.state.hooks.objectCreated.tap("test", (e) => void events.push(e));
    copyMasked(k, ROOT_PD, 0x10n, PdPermission.PD | PdPermission.EC);
    expect(k.call("create_pd", OP.PD, 0x11n, 0x10n).status).toBe(Status.SUCCESS);
    const cap = lookupCapability(k.root.pd, 0x11n);
    expect(cap?.object).toBeInstanceOf(ProtectionDomain);
    expect(cap?.permissions).toBe(PdPermission.PD | PdPermission.EC);
    expect(events).toEqual([{ type: "PD", subtype: "PD", id: cap?.object.id, ownerPd: k.root.pd.id }]);
  });

  it("gives every space kind all its DEFINED permissions", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_pd", OP.GST, 0x24n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.DMA, 0x25n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.MSR, 0x26n, 0x20n).status).toBe(Status.SUCCESS);
    const kinds = ["OBJ", "HST", "PIO", "GST", "DMA", "MSR"] as const;
    kinds.forEach((kind, i) => expect(lookupCapability(k.root.pd, 0x21n + BigInt(i))?.permissions).toBe(SPACE_PERMISSIONS_DEFINED[kind]));
  });

  it("BAD_CAP for a null slot, a non-PD capability, or a PD capability without PD permission", () => {
    const k = createTestKernel();
    expect(k.call("create_pd", OP.PD, 0x10n, 0x999n).status).toBe(Status.BAD_CAP);
    expect(k.call("create_pd", OP.PD, 0x10n, ROOT_EC).status).toBe(Status.BAD_CAP);
    copyMasked(k, ROOT_PD, 0x11n, PdPermission.EC | PdPermission.SC | PdPermission.PT | PdPermission.SM);
    expect(k.call("create_pd", OP.PD, 0x10n, 0x11n).status).toBe(Status.BAD_CAP);
    // a space capability is type PD too, but not a PD
    expect(k.call("create_pd", OP.PD, 0x10n, BigInt(RootObjectSelector.ROOT_OBJ)).status).toBe(Status.BAD_CAP);
  });

  it("checks the PD capability before the slot, and the slot before OP", () => {
    const k = createTestKernel();
    expect(k.call("create_pd", 7, ROOT_EC, 0x999n).status).toBe(Status.BAD_CAP);
    expect(k.call("create_pd", 7, ROOT_EC, ROOT_PD).status).toBe(Status.BAD_CAP); // slot taken wins over OP
    expect(k.call("create_pd", 7, 0x10n, ROOT_PD).status).toBe(Status.BAD_PAR);
    expect(k.call("create_pd", 15, 0x10n, ROOT_PD).status).toBe(Status.BAD_PAR);
  });

  it("ABORTED for a second OBJ or HST space, but any number of PIO/GST/DMA spaces", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_pd", OP.OBJ, 0x30n, 0x20n).status).toBe(Status.ABORTED);
    expect(k.call("create_pd", OP.HST, 0x30n, 0x20n).status).toBe(Status.ABORTED);
    expect(k.call("create_pd", OP.PIO, 0x30n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.GST, 0x31n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.GST, 0x32n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.DMA, 0x33n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.DMA, 0x34n, 0x20n).status).toBe(Status.SUCCESS);
  });

  it("BAD_FTR for GST without VMX/SVM and DMA without an SMMU (no format registered)", () => {
    const k = createTestKernel({ formats: ["HST"] });
    expect(k.call("create_pd", OP.PD, 0x20n, ROOT_PD).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.GST, 0x21n, 0x20n).status).toBe(Status.BAD_FTR);
    expect(k.call("create_pd", OP.DMA, 0x21n, 0x20n).status).toBe(Status.BAD_FTR);
    expect(lookupCapability(k.root.pd, 0x21n)).toBeUndefined();
  });

  it("BAD_FTR for PIO and MSR spaces on aarch64", () => {
    const k = createTestKernel({ arch: "aarch64" });
    expect(k.call("create_pd", OP.PD, 0x20n, ROOT_PD).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.PIO, 0x21n, 0x20n).status).toBe(Status.BAD_FTR);
    expect(k.call("create_pd", OP.MSR, 0x21n, 0x20n).status).toBe(Status.BAD_FTR);
  });

  it("MEM_OBJ when the owner's quota cannot hold the object, leaking nothing", () => {
    const k = createTestKernel();
    expect(k.call("create_sm", 0, 0x1fn, ROOT_PD, 0n).status).toBe(Status.SUCCESS); // allocates table 0
    const quota = k.root.pd.ownQuota;
    quota.setLimit(quota.usedBytes + 100);
    const before = { used: quota.usedBytes, objects: k.state.objects.size };
    expect(k.call("create_pd", OP.PD, 0x10n, ROOT_PD).status).toBe(Status.MEM_OBJ);
    expect(k.call("create_sm", 0, 0x10n, ROOT_PD, 0n).status).toBe(Status.SUCCESS); // 64 bytes still fit
    expect(k.call("create_sm", 0, 0x11n, ROOT_PD, 0n).status).toBe(Status.MEM_OBJ);
    expect(quota.usedBytes).toBe(before.used + 64);
    expect(k.state.objects.size).toBe(before.objects + 1);
  });

  it("MEM_CAP when the object fits but the selector's table does not; the object is discarded", () => {
    const k = createTestKernel();
    const quota = k.root.pd.ownQuota;
    quota.setLimit(quota.usedBytes + 300); // a PD (256) fits, a 4 KiB table does not
    const before = { used: quota.usedBytes, objects: k.state.objects.size, destroyed: k.runtime.events.length };
    expect(k.call("create_pd", OP.PD, 0x20000n, ROOT_PD).status).toBe(Status.MEM_CAP);
    expect(quota.usedBytes).toBe(before.used);
    expect(k.state.objects.size).toBe(before.objects);
    expect(lookupCapability(k.root.pd, 0x20000n)).toBeUndefined();
  });
});

describe("create_ec", () => {
  it("creates local and global ECs with CTRL|BIND_PT|BIND_SC and tells the runtime", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(1), 0x8000n, 0x100n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", CreateEcFlag.GLOBAL_OR_OFFSET | CreateEcFlag.FPU, 0x31n, 0x20n, placement(0, 0x11000n), 0n, 0n).status).toBe(Status.SUCCESS);
    const local = lookupCapability(k.root.pd, 0x30n);
    const global = lookupCapability(k.root.pd, 0x31n);
    expect(local?.permissions).toBe(EC_PERMISSIONS_DEFINED);
    const ec = local?.object as ExecutionContext;
    expect([ec.kind, ec.cpu, ec.eventBase, ec.stackPointer, ec.hostAddress, ec.fpu]).toEqual(["local", 1, 0x100n, 0x8000n, 0x10000n, false]);
    expect(ec.utcb?.length).toBe(512);
    expect((global?.object as ExecutionContext).kind).toBe("global");
    expect((global?.object as ExecutionContext).fpu).toBe(true);
    expect(k.runtime.events).toContain(`ecCreated ${ec.id}`);
  });

  it("maps the UTCB as a kernel page at hva, backed by the EC's utcb words, and frees it with the EC", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    const frames = k.state.frames.freeCount();
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(0, 0x7000n), 0n, 0n).status).toBe(Status.SUCCESS);
    const ec = lookupCapability(k.root.pd, 0x30n)?.object as ExecutionContext;
    const host = (lookupCapability(k.root.pd, 0x22n)?.object as HostSpace).table;
    expect(host.lookup(0x7008n)).toMatchObject({ outputAddress: (ec.utcbFrame ?? 0n) + 8n, permissions: 0x3, attributes: { kernel: true, user: true } });
    ec.utcb![1] = 0xfeedn;
    expect(k.state.memory.read64((ec.utcbFrame ?? 0n) + 8n)).toBe(0xfeedn);
    expect(k.state.frames.freeCount()).toBeLessThan(frames);
    // revoke the only EC capability: the EC dies, its UTCB page is unmapped and its frame freed
    expect(k.call("ctrl_pd", 0, BigInt(RootObjectSelector.ROOT_OBJ), BigInt(RootObjectSelector.ROOT_OBJ), encodeSelectorWord(0x900n, 0), encodeSelectorWord(0x30n, 0x1f), 0n).status).toBe(Status.SUCCESS);
    expect(ec.dying).toBe(true);
    expect(host.lookup(0x7000n)).toBeUndefined();
    expect(k.runtime.events.at(-1)).toBe(`destroyed ${ec.id}`);
  });

  it("vCPUs need a guest format: BAD_FTR without one, no UTCB with one", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_ec", CreateEcFlag.VCPU | CreateEcFlag.GLOBAL_OR_OFFSET, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.SUCCESS);
    const vcpu = lookupCapability(k.root.pd, 0x30n)?.object as ExecutionContext;
    expect(vcpu.kind).toBe("vcpu-offs");
    expect(vcpu.utcb).toBeUndefined();
    const noVirt = createTestKernel({ formats: ["HST"] });
    childPd(noVirt, 0x20n);
    expect(noVirt.call("create_ec", CreateEcFlag.VCPU, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.BAD_FTR);
  });

  it("checks hva (BAD_PAR), then cpu (BAD_CPU), then the PD capability (BAD_CAP)", () => {
    const k = createTestKernel();
    const badHva = encodeEcPlacement({ hostAddress: 1n << 47n, cpu: 0 });
    const badCpu = placement(2);
    expect(k.call("create_ec", 0, 0x30n, 0x999n, badHva | 2n, 0n, 0n).status).toBe(Status.BAD_PAR);
    expect(k.call("create_ec", 0, 0x30n, 0x999n, badCpu, 0n, 0n).status).toBe(Status.BAD_CPU);
    expect(k.call("create_ec", 0, 0x30n, 0x999n, placement(), 0n, 0n).status).toBe(Status.BAD_CAP);
    copyMasked(k, ROOT_PD, 0x40n, PdPermission.PD | PdPermission.SC);
    expect(k.call("create_ec", 0, 0x30n, 0x40n, placement(), 0n, 0n).status).toBe(Status.BAD_CAP);
    expect(k.call("create_ec", 0, ROOT_EC, ROOT_PD, placement(), 0n, 0n).status).toBe(Status.BAD_CAP);
  });

  it("ABORTED when the PD lacks its OBJ, HST or PIO space", () => {
    const k = createTestKernel();
    expect(k.call("create_pd", OP.PD, 0x20n, ROOT_PD).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.ABORTED);
    expect(k.call("create_pd", OP.OBJ, 0x21n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", OP.HST, 0x22n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.ABORTED); // PIO missing (x86)
    expect(k.call("create_pd", OP.PIO, 0x23n, 0x20n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.SUCCESS);
  });

  it("MEM_OBJ when the PD's quota is exhausted", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    const pd = lookupCapability(k.root.pd, 0x20n)?.object as ProtectionDomain;
    pd.ownQuota.setLimit(pd.ownQuota.usedBytes + 1000); // EC + UTCB need 4608
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.MEM_OBJ);
  });
});

describe("create_sc", () => {
  const scd = (priority: number, budgetMs: number, cos = 0): bigint => encodeScd({ priority, budgetMs, cos });

  function withGlobalEc(): TestKernel {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_ec", CreateEcFlag.GLOBAL_OR_OFFSET, 0x30n, 0x20n, placement(1), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", 0, 0x31n, 0x20n, placement(1, 0x11000n), 0n, 0n).status).toBe(Status.SUCCESS);
    return k;
  }

  it("binds an SC to a global EC on the EC's CPU and makes it runnable", () => {
    const k = withGlobalEc();
    expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x30n, scd(10, 5)).status).toBe(Status.SUCCESS);
    const sc = lookupCapability(k.root.pd, 0x40n)?.object as SchedulingContext;
    expect([sc.cpu, sc.priority, sc.budgetNs, sc.leftNs, sc.usedNs, sc.cos]).toEqual([1, 10, 5_000_000, 5_000_000, 0, 0]);
    expect(k.runtime.events.at(-1)).toBe(`scCreated ${sc.id}`);
  });

  it("BAD_PAR for prio 0, budget 0, or a COS without COS support — before any capability check", () => {
    const k = withGlobalEc();
    expect(k.call("create_sc", 0, 0x40n, 0x999n, 0x999n, scd(0, 5)).status).toBe(Status.BAD_PAR);
    expect(k.call("create_sc", 0, 0x40n, 0x999n, 0x999n, scd(5, 0)).status).toBe(Status.BAD_PAR);
    expect(k.call("create_sc", 0, 0x40n, 0x999n, 0x999n, scd(5, 5, 1)).status).toBe(Status.BAD_PAR);
    const cos = createTestKernel({ cosCount: 4 });
    childPd(cos, 0x20n);
    expect(cos.call("create_ec", CreateEcFlag.GLOBAL_OR_OFFSET, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(cos.call("create_sc", 0, 0x40n, 0x20n, 0x30n, scd(5, 5, 3)).status).toBe(Status.SUCCESS);
    expect(cos.call("create_sc", 0, 0x41n, 0x20n, 0x30n, scd(5, 5, 4)).status).toBe(Status.BAD_PAR);
  });

  it("BAD_CAP for a PD without SC, an EC without BIND_SC, or a local EC", () => {
    const k = withGlobalEc();
    copyMasked(k, 0x20n, 0x50n, PdPermission.PD | PdPermission.EC);
    expect(k.call("create_sc", 0, 0x40n, 0x50n, 0x30n, scd(5, 5)).status).toBe(Status.BAD_CAP);
    copyMasked(k, 0x30n, 0x51n, EcPermission.CTRL | EcPermission.BIND_PT);
    expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x51n, scd(5, 5)).status).toBe(Status.BAD_CAP);
    expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x31n, scd(5, 5)).status).toBe(Status.BAD_CAP);
    expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x20n, scd(5, 5)).status).toBe(Status.BAD_CAP);
  });

  it("MEM_OBJ when the quota is exhausted", () => {
    const k = withGlobalEc();
    const pd = lookupCapability(k.root.pd, 0x20n)?.object as ProtectionDomain;
    pd.ownQuota.setLimit(pd.ownQuota.usedBytes);
    expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x30n, scd(5, 5)).status).toBe(Status.MEM_OBJ);
  });
});

describe("create_pt and create_sm", () => {
  it("create_pt binds a portal to a local EC with all PT permissions; a global EC is BAD_CAP", () => {
    const k = createTestKernel();
    childPd(k, 0x20n);
    expect(k.call("create_ec", 0, 0x30n, 0x20n, placement(), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", CreateEcFlag.GLOBAL_OR_OFFSET, 0x31n, 0x20n, placement(0, 0x11000n), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pt", 0, 0x40n, 0x20n, 0x30n, 0x401000n).status).toBe(Status.SUCCESS);
    expect(lookupCapability(k.root.pd, 0x40n)?.permissions).toBe(PT_PERMISSIONS_DEFINED);
    expect(k.call("create_pt", 0, 0x41n, 0x20n, 0x31n, 0n).status).toBe(Status.BAD_CAP);
    copyMasked(k, 0x30n, 0x50n, EcPermission.CTRL | EcPermission.BIND_SC);
    expect(k.call("create_pt", 0, 0x41n, 0x20n, 0x50n, 0n).status).toBe(Status.BAD_CAP);
    copyMasked(k, 0x20n, 0x51n, PdPermission.EC);
    expect(k.call("create_pt", 0, 0x41n, 0x51n, 0x30n, 0n).status).toBe(Status.BAD_CAP);
    expect(k.call("create_pt", 0, 0x40n, 0x20n, 0x30n, 0n).status).toBe(Status.BAD_CAP); // slot taken
    // the portal holds its EC
    const ec = lookupCapability(k.root.pd, 0x30n)?.object as ExecutionContext;
    expect(ec.referenceCount).toBe(3); // capability 0x30, the copy at 0x50, the portal
  });

  it("create_sm starts the counter at p2; BAD_CAP without SM permission; MEM_OBJ without quota", () => {
    const k = createTestKernel();
    expect(k.call("create_sm", 0, 0x40n, ROOT_PD, 7n).status).toBe(Status.SUCCESS);
    expect((lookupCapability(k.root.pd, 0x40n)?.object as Semaphore).counter).toBe(7n);
    copyMasked(k, ROOT_PD, 0x41n, PdPermission.PT);
    expect(k.call("create_sm", 0, 0x42n, 0x41n, 0n).status).toBe(Status.BAD_CAP);
    k.root.pd.ownQuota.setLimit(k.root.pd.ownQuota.usedBytes);
    expect(k.call("create_sm", 0, 0x42n, ROOT_PD, 0n).status).toBe(Status.MEM_OBJ);
  });
});
