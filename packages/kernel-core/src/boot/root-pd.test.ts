import { describe, expect, it } from "vitest";
import {
  EC_PERMISSIONS_DEFINED,
  MemoryCapabilityPermission,
  PD_PERMISSIONS_DEFINED,
  SC_PERMISSIONS_DEFINED,
  SmPermission,
  SpacePermission,
} from "../abi/permissions.js";
import { NovaObjectSelector, RootObjectSelector, SELNUM } from "../abi/well-known-selectors.js";
import { lookupCapability } from "../hypercalls/capability-lookup.js";
import { createTestKernel } from "../kernel-state/test-support/test-kernel.js";
import { testingPageTableFormat } from "../memory/testing-format.js";
import { decodeHip } from "./hip.js";
import { createRootPd } from "./root-pd.js";

describe("createRootPd (nova.md §8.5, §1.5)", () => {
  it("fills the root object space with exactly the five well-known capabilities", () => {
    const { state, root } = createTestKernel();
    const slots = [...root.objectSpace.entries()].map(([selector, cap]) => [selector, cap.object, cap.permissions]);
    expect(slots).toEqual([
      [RootObjectSelector.ROOT_SC, root.sc, SC_PERMISSIONS_DEFINED],
      [RootObjectSelector.ROOT_EC, root.ec, EC_PERMISSIONS_DEFINED],
      [RootObjectSelector.ROOT_PD, root.pd, PD_PERMISSIONS_DEFINED],
      [RootObjectSelector.ROOT_OBJ, root.objectSpace, SpacePermission.GRANT | SpacePermission.TAKE],
      [RootObjectSelector.NOVA_OBJ, state.novaObjectSpace, SpacePermission.TAKE],
    ]);
    expect(state.rootPd).toBe(root.pd);
  });

  it("puts the root spaces and PD into the NOVA object space", () => {
    const { state, root } = createTestKernel();
    const nova = state.novaObjectSpace;
    expect(nova.lookup(NovaObjectSelector.ROOT_OBJ)).toEqual({ object: root.objectSpace, permissions: 0x3 });
    expect(nova.lookup(NovaObjectSelector.ROOT_HST)).toEqual({ object: root.hostSpace, permissions: 0x3 });
    expect(nova.lookup(NovaObjectSelector.ROOT_PIO)).toEqual({ object: root.pioSpace, permissions: 0x7 });
    expect(nova.lookup(NovaObjectSelector.ROOT_PD)).toEqual({ object: root.pd, permissions: 0x1f });
    expect(nova.lookup(NovaObjectSelector.NOVA_OBJ)).toEqual({ object: nova, permissions: SpacePermission.TAKE });
    expect(nova.lookup(NovaObjectSelector.NOVA_HST)?.object).toBe(state.novaHostSpace);
    expect(nova.lookup(NovaObjectSelector.NOVA_PIO)?.object).toBe(state.novaPioSpace);
    expect(nova.lookup(NovaObjectSelector.NOVA_MSR)?.object).toBe(state.novaMsrSpace);
    expect(nova.lookup(NovaObjectSelector.CONSOLE_SM)).toEqual({ object: state.consoleSemaphore, permissions: SmPermission.CTRL_UP | SmPermission.CTRL_DN });
    expect(nova.lookup(NovaObjectSelector.INTERRUPT_SM_BASE + 216)?.permissions).toBe(SmPermission.ASSIGN | SmPermission.CTRL_DN);
    expect(nova.lookup(NovaObjectSelector.INTERRUPT_SM_BASE + 217)).toBeUndefined();
    expect(nova.lookup(0)?.object).toBe(state.idleScs[0]);
    expect(nova.lookup(1)?.object).toBe(state.idleScs[1]);
    expect(nova.lookup(2)).toBeUndefined();
  });

  it("creates EC_ROOT (global, BSP, FPU, event base 0) and SC_ROOT (prio 127, 1000 ms) and starts them", () => {
    const { root, runtime } = createTestKernel();
    expect([root.ec.kind, root.ec.cpu, root.ec.fpu, root.ec.eventBase]).toEqual(["global", 0, true, 0n]);
    expect([root.sc.priority, root.sc.budgetNs, root.sc.cos, root.sc.cpu, root.sc.ec]).toEqual([127, 1_000_000_000, 0, 0, root.ec]);
    expect(runtime.events).toEqual([`ecCreated ${root.ec.id}`, `scCreated ${root.sc.id}`]);
  });

  it("maps the HIP read-only K|U|R at the top user page and the UTCB below it", () => {
    const { state, root } = createTestKernel();
    expect(root.hipAddress).toBe(0x7ffffffff000n);
    expect(root.utcbAddress).toBe(0x7fffffffe000n);
    const hip = root.hostSpace.table.lookup(root.hipAddress);
    expect(hip).toMatchObject({ outputAddress: root.hipFrame, permissions: MemoryCapabilityPermission.R });
    expect(hip?.attributes).toMatchObject({ kernel: true, user: true });
    expect(root.hostSpace.table.lookup(root.utcbAddress)).toMatchObject({ outputAddress: root.utcbFrame, permissions: 0x3 });
    expect(decodeHip(state.memory.readBytes(root.hipFrame, 0x90)).selectors).toBe(BigInt(SELNUM));
    // nothing else is mapped, the PIO space is empty
    expect(root.hostSpace.table.leaves(0n, 35).length).toBe(2);
    expect(root.pioSpace?.permissions(0x60)).toBe(0);
    expect(root.ec.stackPointer).toBe(root.hipAddress);
  });

  it("refuses a second root PD", () => {
    const k = createTestKernel();
    expect(() => createRootPd(k.state, { hip: new Uint8Array(0x90) })).toThrow(expect.objectContaining({ code: "NK-KRN-106" }));
  });

  it("maps root ELF segments directly from physical memory", async () => {
    const { KernelState } = await import("../kernel-state/kernel-state.js");
    const base = createTestKernel();
    const state = new KernelState({ platform: base.state.platform, hooks: base.state.hooks, runtime: base.runtime, memory: base.state.memory, frames: base.state.frames });
    state.registerFormat("HST", testingPageTableFormat);
    const root = createRootPd(state, {
      hip: new Uint8Array(0x90),
      segments: [
        { physicalAddress: 0x1000000n, virtualAddress: 0x400000n, size: 0x3000n, flags: 0b101 }, // R X
        { physicalAddress: 0x1200000n, virtualAddress: 0x600000n, size: 0x1800n, flags: 0b110 }, // R W
      ],
    });
    const t = root.hostSpace.table;
    expect(t.lookup(0x402000n)).toMatchObject({ outputAddress: 0x1002000n, permissions: MemoryCapabilityPermission.R | MemoryCapabilityPermission.XU });
    expect(t.lookup(0x601000n)).toMatchObject({ outputAddress: 0x1201000n, permissions: MemoryCapabilityPermission.R | MemoryCapabilityPermission.W });
    expect(t.lookup(0x602000n)).toBeUndefined();
    expect(() =>
      createRootPd(new KernelState({ platform: base.state.platform, hooks: base.state.hooks, runtime: base.runtime, memory: base.state.memory, frames: base.state.frames }), {
        hip: new Uint8Array(0x90),
      }),
    ).toThrow(expect.objectContaining({ code: "NK-KRN-106" })); // no HST format: no host space
    expect(lookupCapability(root.pd, BigInt(RootObjectSelector.ROOT_EC))?.object).toBe(root.ec);
  });
});
