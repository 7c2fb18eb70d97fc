import { describe, expect, it } from "vitest";
import { MsrPermission, PioPermission } from "../abi/permissions.js";
import { SELNUM } from "../abi/well-known-selectors.js";
import { KernelQuota } from "../kernel-state/kernel-quota.js";
import { ObjectRegistry } from "../kernel-state/object-registry.js";
import { alignedBlocks } from "./aligned-blocks.js";
import { makeCapability, maskCapability } from "./capability.js";
import { MsrSpace } from "./msr-space.js";
import { NovaHostSpace } from "./nova-host-space.js";
import { ObjectSpace } from "./object-space.js";
import { PioSpace } from "./pio-space.js";
import { ProtectionDomain } from "./protection-domain.js";
import { Semaphore } from "./semaphore.js";

function fixture(limit?: number): { registry: ObjectRegistry; quota: KernelQuota; pd: ProtectionDomain; space: ObjectSpace } {
  const registry = new ObjectRegistry();
  const quota = new KernelQuota(limit, undefined);
  const pd = new ProtectionDomain(registry.allocateId(), quota, quota, 0, "test");
  registry.add(pd);
  const space = new ObjectSpace(registry.allocateId(), pd, quota, 0, registry);
  registry.add(space);
  return { registry, quota, pd, space };
}

describe("KernelObject reference counting (nova.md §1.1)", () => {
  it("publish 0 -> 1, tryInc fails at 0, dec reports the last reference and marks dying", () => {
    const { pd } = fixture();
    expect(pd.tryInc()).toBe(false);
    pd.publish();
    expect(pd.tryInc()).toBe(true);
    expect(pd.dec()).toBe(false);
    expect(pd.dying).toBe(false);
    expect(pd.dec()).toBe(true);
    expect(pd.dying).toBe(true);
    expect(pd.tryInc()).toBe(false);
    expect(() => pd.dec()).toThrow(expect.objectContaining({ code: "NK-KRN-103" }));
    expect(() => pd.publish()).toThrow(expect.objectContaining({ code: "NK-KRN-103" }));
  });
});

describe("capabilities (nova.md §1.3)", () => {
  it("masking to zero is the null capability; masks keep only DEFINED bits", () => {
    const { pd } = fixture();
    expect(makeCapability(pd, 0x20)).toBeUndefined();
    expect(makeCapability(pd, 0xff)?.permissions).toBe(0x1f);
    const sm = new Semaphore(9, 0n, undefined, new KernelQuota(undefined, undefined), 0);
    expect(maskCapability(makeCapability(sm, 0x13), 0x10)).toBeUndefined(); // ASSIGN is not defined on a regular SM
    expect(maskCapability(makeCapability(sm, 0x3), 0x2)?.permissions).toBe(0x2);
  });
});

describe("ObjectSpace (2 x 9-bit radix)", () => {
  it("exchanges slots, allocates second-level tables on demand and charges them", () => {
    const { pd, space, quota } = fixture();
    pd.publish();
    expect(space.lookup(5)).toBeUndefined();
    expect(space.ensureTable(5)).toBe(true);
    expect(space.ensureTable(511)).toBe(true); // same table
    expect(space.allocatedTables).toBe(1);
    expect(quota.usedBytes).toBe(4096);
    expect(space.exchange(5, { object: pd, permissions: 3 })).toBeUndefined();
    expect(space.exchange(5, { object: pd, permissions: 1 })).toEqual({ object: pd, permissions: 3 });
    expect([...space.entries()]).toEqual([[5, { object: pd, permissions: 1 }]]);
    expect(space.lookup(SELNUM)).toBeUndefined();
    expect(() => space.exchange(SELNUM, undefined)).toThrow(expect.objectContaining({ code: "NK-KRN-104" }));
    expect(() => space.exchange(1000, { object: pd, permissions: 1 })).toThrow(expect.objectContaining({ code: "NK-KRN-104" }));
    space.exchange(5, undefined);
    space.releaseTables();
    expect(quota.usedBytes).toBe(0);
  });

  it("fails (MEM_CAP) when the quota cannot take another table", () => {
    const { space } = fixture(4096);
    expect(space.ensureTable(0)).toBe(true);
    expect(space.ensureTable(512)).toBe(false);
  });
});

describe("PIO and MSR spaces (nova.md §1.3)", () => {
  it("PIO: one bit per port, 1 = denied, hardware polarity", () => {
    const { pd } = fixture();
    const pio = new PioSpace(3, pd, new KernelQuota(undefined, undefined), 0);
    expect(pio.permissions(0x3f8)).toBe(0);
    pio.setPermissions(0x3f8, PioPermission.A);
    expect(pio.permissions(0x3f8)).toBe(PioPermission.A);
    expect(pio.bytes()[0x3f8 >> 3]).toBe(0xfe);
  });

  it("MSR: VMX bitmap layout, read low/high at 0x000/0x400, write at 0x800/0xC00", () => {
    const { pd } = fixture();
    const msr = new MsrSpace(3, pd, new KernelQuota(undefined, undefined), 0);
    msr.setPermissions(0x10, MsrPermission.R);
    msr.setPermissions(0xc0000082, MsrPermission.W);
    msr.setPermissions(0x2000, MsrPermission.R); // outside both windows: ignored
    const bytes = msr.bytes();
    expect(bytes[0x002]).toBe(0xfe); // read-low, MSR 0x10 = byte 2 bit 0
    expect(bytes[0x802]).toBe(0xff); // write-low denied
    expect(bytes[0xc10]).toBe(0xfb); // write-high, 0x82 = byte 0x10 bit 2
    expect(msr.permissions(0xc0000082)).toBe(MsrPermission.W);
    expect(msr.permissions(0x2000)).toBe(0);
    expect(msr.containsRange(0xc0000000n, 13)).toBe(true);
    expect(msr.containsRange(0x1000n, 13)).toBe(false);
  });
});

describe("NOVA host space and aligned blocks", () => {
  it("splits ranges into the largest naturally aligned blocks", () => {
    expect(alignedBlocks(0x3n, 0x11n)).toEqual([
      { page: 3n, order: 0 },
      { page: 4n, order: 2 },
      { page: 8n, order: 3 },
      { page: 16n, order: 0 },
    ]);
  });

  it("is the identity on physical pages except protected ranges", () => {
    const { pd } = fixture();
    const space = new NovaHostSpace(4, pd, new KernelQuota(undefined, undefined), 0, 40, [{ base: 0x5000n, size: 0x2000n, reason: "test" }]);
    expect(space.selectorCount).toBe(1n << 28n);
    const leaves = space.leaves(0x0n, 4).map((l) => [l.inputAddress, l.outputAddress, l.order]);
    expect(leaves).toEqual([
      [0x0n, 0x0n, 2],
      [0x4000n, 0x4000n, 0],
      [0x7000n, 0x7000n, 0],
      [0x8000n, 0x8000n, 3],
    ]);
    expect(space.isProtected(0x6n)).toBe(true);
    expect(space.isProtected(0x7n)).toBe(false);
  });
});

describe("KernelQuota", () => {
  it("charges every ancestor and refuses when any would overflow", () => {
    const root = new KernelQuota(10_000, undefined);
    const child = new KernelQuota(undefined, root);
    const grandchild = new KernelQuota(5_000, child);
    expect(grandchild.tryCharge(4_000)).toBe(true);
    expect(root.usedBytes).toBe(4_000);
    expect(grandchild.tryCharge(2_000)).toBe(false);
    expect(child.tryCharge(6_000)).toBe(true);
    expect(child.tryCharge(1)).toBe(false);
    grandchild.refund(4_000);
    expect([root.usedBytes, child.usedBytes, grandchild.usedBytes]).toEqual([6_000, 6_000, 0]);
  });
});
