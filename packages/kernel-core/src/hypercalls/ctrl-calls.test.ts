import { describe, expect, it } from "vitest";
import { encodeEcPlacement, encodeScd, encodeSelectorWord } from "../abi/descriptors.js";
import { EcPermission, PtPermission, ScPermission, SmPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import { NovaObjectSelector, RootObjectSelector } from "../abi/well-known-selectors.js";
import type { HypercallInvocation } from "../hooks/hook-types.js";
import { createTestKernel, type TestKernel } from "../kernel-state/test-support/test-kernel.js";
import { ExecutionContext } from "../objects/execution-context.js";
import { Portal } from "../objects/portal.js";
import type { ProtectionDomain } from "../objects/protection-domain.js";
import { SchedulingContext } from "../objects/scheduling-context.js";
import { Semaphore } from "../objects/semaphore.js";
import { lookupCapability, portalFor, semaphoreFor } from "./capability-lookup.js";
import { CreateEcFlag } from "./create-ec.js";
import { executeHypercall } from "./execute-hypercall.js";
import type { HypercallCaller } from "./hypercall-types.js";

const ROOT_PD = BigInt(RootObjectSelector.ROOT_PD);
const ROOT_OBJ = BigInt(RootObjectSelector.ROOT_OBJ);
const NOVA_OBJ = BigInt(RootObjectSelector.NOVA_OBJ);

function copyMasked(k: TestKernel, from: bigint, to: bigint, mask: number, src = ROOT_OBJ): void {
  expect(k.call("ctrl_pd", 0, src, ROOT_OBJ, encodeSelectorWord(from, 0), encodeSelectorWord(to, mask), 0n).status).toBe(Status.SUCCESS);
}

/** a child PD at 0x20 with spaces, a global EC at 0x30 with an SC at 0x40, a local EC 0x31 with portal 0x41 */
function world(): TestKernel {
  const k = createTestKernel();
  expect(k.call("create_pd", 0, 0x20n, ROOT_PD).status).toBe(Status.SUCCESS);
  for (const [op, sel] of [[1, 0x21n], [2, 0x22n], [5, 0x23n]] as const) expect(k.call("create_pd", op, sel, 0x20n).status).toBe(Status.SUCCESS);
  expect(k.call("create_ec", CreateEcFlag.GLOBAL_OR_OFFSET, 0x30n, 0x20n, encodeEcPlacement({ hostAddress: 0x10000n, cpu: 1 }), 0n, 0n).status).toBe(Status.SUCCESS);
  expect(k.call("create_ec", 0, 0x31n, 0x20n, encodeEcPlacement({ hostAddress: 0x11000n, cpu: 1 }), 0n, 0n).status).toBe(Status.SUCCESS);
  expect(k.call("create_sc", 0, 0x40n, 0x20n, 0x30n, encodeScd({ priority: 3, budgetMs: 2, cos: 0 })).status).toBe(Status.SUCCESS);
  expect(k.call("create_pt", 0, 0x41n, 0x20n, 0x31n, 0x1234n).status).toBe(Status.SUCCESS);
  return k;
}

function childCaller(k: TestKernel): HypercallCaller {
  const ec = lookupCapability(k.root.pd, 0x30n)?.object as ExecutionContext;
  return { pd: lookupCapability(k.root.pd, 0x20n)?.object as ProtectionDomain, ec, cpu: 1 };
}

describe("ctrl_ec / ctrl_sc / ctrl_pt", () => {
  it("ctrl_ec needs CTRL and passes weak/strong recall to the runtime", () => {
    const k = world();
    const ec = lookupCapability(k.root.pd, 0x30n)?.object as ExecutionContext;
    expect(k.call("ctrl_ec", 0, 0x30n).status).toBe(Status.SUCCESS);
    expect(k.call("ctrl_ec", 1, 0x30n).status).toBe(Status.SUCCESS);
    expect(k.runtime.events.slice(-2)).toEqual([`recall ${ec.id} weak`, `recall ${ec.id} strong`]);
    copyMasked(k, 0x30n, 0x50n, EcPermission.BIND_PT | EcPermission.BIND_SC);
    expect(k.call("ctrl_ec", 0, 0x50n).status).toBe(Status.BAD_CAP);
    expect(k.call("ctrl_ec", 0, 0x40n).status).toBe(Status.BAD_CAP); // an SC, not an EC
  });

  it("ctrl_sc returns the used time in STC ticks and needs CTRL", () => {
    const k = world();
    const sc = lookupCapability(k.root.pd, 0x40n)?.object as SchedulingContext;
    sc.usedNs = 2_500_000;
    expect(k.call("ctrl_sc", 0, 0x40n)).toEqual({ status: Status.SUCCESS, results: [2_500_000n] });
    const slow = createTestKernel({ stcFrequencyHz: 25_000_000 });
    const rootSc = slow.root.sc;
    rootSc.usedNs = 1_000_000; // 1 ms at 25 MHz = 25000 ticks
    expect(slow.call("ctrl_sc", 0, RootObjectSelector.ROOT_SC).results).toEqual([25_000n]);
    copyMasked(k, 0x40n, 0x50n, ScPermission.CTRL);
    expect(k.call("ctrl_sc", 0, 0x50n).status).toBe(Status.SUCCESS);
    expect(k.call("ctrl_sc", 0, 0x30n).status).toBe(Status.BAD_CAP);
    expect(k.call("ctrl_sc", 0, 0x51n).status).toBe(Status.BAD_CAP);
  });

  it("ctrl_pt sets PID and MTD with CTRL, BAD_CAP without", () => {
    const k = world();
    expect(k.call("ctrl_pt", 0, 0x41n, 0xabcn, 0x7n).status).toBe(Status.SUCCESS);
    const pt = lookupCapability(k.root.pd, 0x41n)?.object as Portal;
    expect([pt.pid, pt.mtd, pt.ip]).toEqual([0xabcn, 0x7n, 0x1234n]);
    copyMasked(k, 0x41n, 0x50n, PtPermission.CALL | PtPermission.EVENT);
    expect(k.call("ctrl_pt", 0, 0x50n, 1n, 1n).status).toBe(Status.BAD_CAP);
    // the runtime's typed getters see the same permissions
    const call = portalFor(k.root.pd, 0x50n, PtPermission.CALL);
    expect(call.ok && call.object).toBe(pt);
    expect(portalFor(k.root.pd, 0x50n, PtPermission.CTRL)).toEqual({ ok: false, status: Status.BAD_CAP });
  });
});

describe("ctrl_hw", () => {
  it("is root-only (BAD_HYP), rejects undefined OPs (BAD_PAR), and is BAD_FTR without a provider", () => {
    const k = world();
    expect(k.callAs(childCaller(k), "ctrl_hw", 0, 0n).status).toBe(Status.BAD_HYP);
    expect(k.callAs(childCaller(k), "ctrl_hw", 3, 0n).status).toBe(Status.BAD_HYP); // root check first
    for (const op of [1, 2, 3, 8, 15]) expect(k.call("ctrl_hw", op, 0n).status).toBe(Status.BAD_PAR);
    for (const op of [0, 4, 5, 6, 7]) expect(k.call("ctrl_hw", op, 0n).status).toBe(Status.BAD_FTR);
  });

  it("hands a valid call to the plugin's tap, which decides the status", () => {
    const k = world();
    const seen: HypercallInvocation[] = [];
    k.state.hooks.hypercall.for("ctrl_hw").tap("arch-test", (invocation) => {
      seen.push(invocation);
      return { status: invocation.flags === 4 ? Status.SUCCESS : Status.ABORTED };
    });
    expect(k.call("ctrl_hw", 4, 0x6n).status).toBe(Status.SUCCESS);
    expect(k.call("ctrl_hw", 5, 0x6n).status).toBe(Status.ABORTED);
    expect(seen[0]).toMatchObject({ name: "ctrl_hw", flags: 4, selector: 6n, callerIsRoot: true, callerPd: k.root.pd.id, cpu: 0 });
  });
});

describe("assign_int", () => {
  function interruptSm(k: TestKernel, gsi: number, at: bigint): Semaphore {
    copyMasked(k, BigInt(NovaObjectSelector.INTERRUPT_SM_BASE + gsi), at, 0x1f, NOVA_OBJ);
    return lookupCapability(k.root.pd, at)?.object as Semaphore;
  }

  it("BAD_CPU before the capability, BAD_CAP for SMs without ASSIGN, BAD_FTR without a provider", () => {
    const k = world();
    const sm = interruptSm(k, 5, 0x60n);
    expect(sm.interruptId).toBe(5);
    expect(lookupCapability(k.root.pd, 0x60n)?.permissions).toBe(SmPermission.ASSIGN | SmPermission.CTRL_DN);
    expect(k.call("assign_int", 0, 0x999n, 2n, 0n).status).toBe(Status.BAD_CPU);
    expect(k.call("assign_int", 0, 0x999n, 1n, 0n).status).toBe(Status.BAD_CAP);
    expect(k.call("create_sm", 0, 0x61n, ROOT_PD, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("assign_int", 0, 0x61n, 1n, 0n).status).toBe(Status.BAD_CAP); // a regular SM has no ASSIGN
    copyMasked(k, 0x60n, 0x62n, SmPermission.CTRL_DN);
    expect(k.call("assign_int", 0, 0x62n, 1n, 0n).status).toBe(Status.BAD_CAP);
    expect(k.call("assign_int", 0, 0x60n, 1n, 0n).status).toBe(Status.BAD_FTR);
  });

  it("routes the interrupt through the provider and returns its MSI address/data", () => {
    const k = world();
    const sm = interruptSm(k, 30, 0x60n);
    k.state.hooks.hypercall.for("assign_int").tap("arch-test", (inv) => ({
      status: Status.SUCCESS,
      results: [0xfee00000n | ((inv.args[0] ?? 0n) << 12n), BigInt(inv.target?.type === "semaphore" ? (inv.target.interruptId ?? 0) + 0x20 : 0)],
    }));
    expect(k.call("assign_int", 0b0011, 0x60n, 1n, 0x0800n)).toEqual({ status: Status.SUCCESS, results: [0xfee01000n, 62n] });
    expect(sm.route).toEqual({ cpu: 1, flags: 0b0011, device: 0x800n });
    const down = semaphoreFor(k.root.pd, 0x60n, SmPermission.CTRL_DN);
    expect(down.ok).toBe(true);
  });
});

describe("assign_dev", () => {
  it("is root-only, needs a DMA space with ASSIGN, and is BAD_DEV when no IOMMU answers", () => {
    const k = world();
    expect(k.call("create_pd", 4, 0x70n, 0x20n).status).toBe(Status.SUCCESS); // DMA space
    expect(k.callAs(childCaller(k), "assign_dev", 0, 0x70n, 0xfeb80000n, 0x10n).status).toBe(Status.BAD_HYP);
    expect(k.call("assign_dev", 0, 0x22n, 0xfeb80000n, 0x10n).status).toBe(Status.BAD_CAP); // a host space
    copyMasked(k, 0x70n, 0x71n, 0x1); // GRANT only
    expect(k.call("assign_dev", 0, 0x71n, 0xfeb80000n, 0x10n).status).toBe(Status.BAD_CAP);
    expect(k.call("assign_dev", 0, 0x70n, 0xfeb80000n, 0x10n).status).toBe(Status.BAD_DEV);
  });

  it("gives the IOMMU plugin the DMA space and its page table", () => {
    const k = world();
    expect(k.call("create_pd", 4, 0x70n, 0x20n).status).toBe(Status.SUCCESS);
    let root: bigint | undefined;
    k.state.hooks.hypercall.for("assign_dev").tap("iommu-test", (inv) => {
      if (inv.target?.type !== "space") return undefined;
      root = inv.target.table?.rootAddress;
      return { status: (inv.args[1] ?? 0n) > 0xffffn ? Status.BAD_PAR : Status.SUCCESS };
    });
    expect(k.call("assign_dev", 0, 0x70n, 0xfeb80000n, 0x10n).status).toBe(Status.SUCCESS);
    expect(k.call("assign_dev", 0, 0x70n, 0xfeb80000n, 0x1_0000_0000n).status).toBe(Status.BAD_PAR);
    expect(root).toBeTypeOf("bigint");
  });
});

describe("executeHypercall dispatch", () => {
  it("slot 0xF is BAD_HYP; the blocking calls are a programming error", () => {
    const k = world();
    expect(executeHypercall(k.state, k.caller, 0x0f, 0n, [])).toEqual({ status: Status.BAD_HYP, results: [] });
    expect(executeHypercall(k.state, k.caller, 0xff, 0n, [])).toEqual({ status: Status.BAD_HYP, results: [] });
    for (const id of [0x0, 0x1, 0xb, 0x1b]) expect(() => executeHypercall(k.state, k.caller, id, 0n, [])).toThrow(/NK-KRN-101|runtime/);
  });

  it("a child PD's EC names selectors in its own object space", () => {
    const k = world();
    // the child's object space is empty: its PD selector 0x20 means nothing there
    expect(k.callAs(childCaller(k), "create_sm", 0, 0x1n, 0x20n, 0n).status).toBe(Status.BAD_CAP);
  });
});
