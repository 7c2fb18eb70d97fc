import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEcPlacement, encodeMadX86, encodeScd, encodeSelectorWord } from "../abi/descriptors.js";
import { Status } from "../abi/status.js";
import { NovaObjectSelector, RootObjectSelector } from "../abi/well-known-selectors.js";
import { createTestKernel, type TestKernel } from "../kernel-state/test-support/test-kernel.js";
import type { HostSpace } from "../objects/host-space.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { ObjectSpace } from "../objects/object-space.js";
import { lookupCapability } from "./capability-lookup.js";

const ROOT_PD = BigInt(RootObjectSelector.ROOT_PD);
const ROOT_OBJ = BigInt(RootObjectSelector.ROOT_OBJ);
const NOVA_OBJ = BigInt(RootObjectSelector.NOVA_OBJ);

function ctrlPd(k: TestKernel, src: bigint, dst: bigint, ssb: bigint, order: number, dsb: bigint, pmm: number): Status {
  return k.call("ctrl_pd", 0, src, dst, encodeSelectorWord(ssb, order), encodeSelectorWord(dsb, pmm), encodeMadX86({ cacheAttribute: 0, keyId: 0 })).status;
}

/** root with: 4 SMs, 2 child PDs each with an object space (0x300/0x301, 0x310/0x311) */
function playground(): TestKernel {
  const k = createTestKernel();
  for (let i = 0; i < 4; i++) expect(k.call("create_sm", 0, 0x200n + BigInt(i), ROOT_PD, 0n).status).toBe(Status.SUCCESS);
  for (const base of [0x300n, 0x310n]) {
    expect(k.call("create_pd", 0, base, ROOT_PD).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", 1, base + 1n, base).status).toBe(Status.SUCCESS);
  }
  return k;
}

/** references an object should have: every slot of every object space + objects holding it + kernel holds */
function expectedReferences(k: TestKernel, object: KernelObject): number {
  let count = 0;
  for (const other of k.state.objects.all()) {
    if (other instanceof ObjectSpace) for (const [, capability] of other.entries()) if (capability.object === object) count += 1;
    count += other.heldReferences().filter((held) => held === object).length;
  }
  return count;
}

const spaces = [ROOT_OBJ, 0x301n, 0x311n] as const;
/** slots 0x200.. (seeded) and 0x280.. (initially empty) of any of the three object spaces */
const operation = fc.record({
  src: fc.constantFrom(...spaces),
  dst: fc.constantFrom(...spaces),
  order: fc.integer({ min: 0, max: 3 }),
  srcRegion: fc.constantFrom(0x200, 0x280),
  dstRegion: fc.constantFrom(0x200, 0x280),
  srcOffset: fc.integer({ min: 0, max: 15 }),
  dstOffset: fc.integer({ min: 0, max: 15 }),
  pmm: fc.integer({ min: 0, max: 0x1f }),
});

describe("delegation properties", () => {
  it("permissions never grow along a chain of copies, and a mask to zero yields null", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 5 }), fc.constantFrom(0x200n, ROOT_PD, BigInt(RootObjectSelector.ROOT_EC)), (masks, start) => {
        const k = playground();
        const original = lookupCapability(k.root.pd, start);
        let from = start;
        let expected = original?.permissions ?? 0;
        masks.forEach((mask, i) => {
          const to = 0x500n + BigInt(i);
          expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, from, 0, to, mask)).toBe(Status.SUCCESS);
          expected &= mask;
          const copy = lookupCapability(k.root.pd, to);
          if (expected === 0) expect(copy).toBeUndefined();
          else expect(copy).toEqual({ object: original?.object, permissions: expected });
          from = to;
        });
      }),
      { numRuns: 60 },
    );
  });

  it("reference counts equal the slots and holders referring to each object after any copy/overwrite sequence", () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 12 }), (ops) => {
        const k = playground();
        // seed the source region of every space with the SMs and PDs
        for (const dst of spaces) {
          expect(ctrlPd(k, ROOT_OBJ, dst, 0x200n, 2, 0x200n, 0x1f)).toBe(Status.SUCCESS);
          expect(ctrlPd(k, ROOT_OBJ, dst, 0x300n, 0, 0x204n, 0x1f)).toBe(Status.SUCCESS);
        }
        for (const op of ops) {
          const size = 1 << op.order;
          const ssb = BigInt(op.srcRegion + (op.srcOffset & ~(size - 1)));
          const dsb = BigInt(op.dstRegion + (op.dstOffset & ~(size - 1)));
          expect(ctrlPd(k, op.src, op.dst, ssb, op.order, dsb, op.pmm)).toBe(Status.SUCCESS);
        }
        for (const object of k.state.objects.all()) {
          if (object.type === "SM" || object.subtypeName === "PD") {
            const kernelHeld = object === k.state.novaPd ? 1 : 0;
            expect(object.referenceCount).toBe(expectedReferences(k, object) + kernelHeld);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("memory copies grant exactly source AND pmm, never more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xf }), fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0, max: 3 }), (first, second, order) => {
        const k = createTestKernel();
        const fetch = (nova: number, to: bigint): void => expect(ctrlPd(k, NOVA_OBJ, ROOT_OBJ, BigInt(nova), 0, to, 0x1f)).toBe(Status.SUCCESS);
        fetch(NovaObjectSelector.NOVA_HST, 0x100n);
        fetch(NovaObjectSelector.ROOT_HST, 0x101n);
        expect(k.call("create_pd", 0, 0x300n, ROOT_PD).status).toBe(Status.SUCCESS);
        expect(k.call("create_pd", 2, 0x301n, 0x300n).status).toBe(Status.SUCCESS);
        expect(ctrlPd(k, 0x100n, 0x101n, 0x800n, order, 0x10n, first)).toBe(Status.SUCCESS);
        expect(ctrlPd(k, 0x101n, 0x301n, 0x10n, order, 0x20n, second)).toBe(Status.SUCCESS);
        const table = (lookupCapability(k.root.pd, 0x301n)?.object as HostSpace).table;
        for (let page = 0n; page < 1n << BigInt(order); page++) {
          const t = table.lookup((0x20n + page) << 12n);
          const expected = first & second & 0xf;
          if (expected === 0) expect(t).toBeUndefined();
          else expect(t).toMatchObject({ outputAddress: (0x800n + page) << 12n, permissions: expected });
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("quota and teardown", () => {
  it("revoking the only capabilities destroys a whole domain and refunds every byte and frame", () => {
    const k = createTestKernel();
    const quota = k.root.pd.ownQuota;
    // warm the root's object-space table for 0x300.. and map root memory, so the baseline includes
    // the root's own tables (intermediate tables stay allocated after an unmap)
    expect(k.call("create_sm", 0, 0x3ffn, ROOT_PD, 0n).status).toBe(Status.SUCCESS);
    expect(ctrlPd(k, NOVA_OBJ, ROOT_OBJ, BigInt(NovaObjectSelector.NOVA_HST), 0, 0x3f0n, 0x1f)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, NOVA_OBJ, ROOT_OBJ, BigInt(NovaObjectSelector.ROOT_HST), 0, 0x3f1n, 0x1f)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, 0x3f0n, 0x3f1n, 0x800n, 2, 0x40n, 0xf)).toBe(Status.SUCCESS);
    const baseline = { used: quota.usedBytes, kernel: k.state.kernelQuota.usedBytes, objects: k.state.objects.size, frames: k.state.frames.freeCount() };

    expect(k.call("create_pd", 0, 0x300n, ROOT_PD).status).toBe(Status.SUCCESS);
    for (const [op, sel] of [[1, 0x301n], [2, 0x302n], [3, 0x303n], [4, 0x304n], [5, 0x305n], [6, 0x306n]] as const) {
      expect(k.call("create_pd", op, sel, 0x300n).status).toBe(Status.SUCCESS);
    }
    expect(k.call("create_ec", 2, 0x310n, 0x300n, encodeEcPlacement({ hostAddress: 0x1000n, cpu: 0 }), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_ec", 0, 0x311n, 0x300n, encodeEcPlacement({ hostAddress: 0x2000n, cpu: 0 }), 0n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_sc", 0, 0x312n, 0x300n, 0x310n, encodeScd({ priority: 1, budgetMs: 1, cos: 0 })).status).toBe(Status.SUCCESS);
    expect(k.call("create_pt", 0, 0x313n, 0x300n, 0x311n, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_sm", 0, 0x314n, 0x300n, 0n).status).toBe(Status.SUCCESS);
    // the child's own object space holds a capability to its PD (a cycle through a capability is still released)
    expect(ctrlPd(k, ROOT_OBJ, 0x301n, 0x314n, 0, 0x1n, 0x1f)).toBe(Status.SUCCESS);
    // memory in the child's host and DMA spaces allocates page tables charged to the child
    expect(ctrlPd(k, 0x3f1n, 0x302n, 0x40n, 2, 0x80n, 0xf)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, 0x3f1n, 0x304n, 0x40n, 2, 0x80n, 0xf)).toBe(Status.SUCCESS);
    expect(quota.usedBytes).toBeGreaterThan(baseline.used);

    // revoke: copy the empty range 0x500.. over 0x300..0x31F
    expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, 0x500n, 5, 0x300n, 0x1f)).toBe(Status.SUCCESS);

    expect(k.state.objects.size).toBe(baseline.objects);
    expect(quota.usedBytes).toBe(baseline.used);
    expect(k.state.kernelQuota.usedBytes).toBe(baseline.kernel);
    expect(k.state.frames.freeCount()).toBe(baseline.frames + 0);
    expect(k.runtime.events.filter((e) => e.startsWith("destroyed")).length).toBe(12);
  });

  it("quota exhaustion never leaks: random limits give MEM_OBJ/MEM_CAP and a clean rollback", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0x40n, 0x20040n, 0x3f000n), (slack, selector) => {
        const k = createTestKernel();
        const quota = k.root.pd.ownQuota;
        quota.setLimit(quota.usedBytes + slack);
        const objects = k.state.objects.size;
        const used = quota.usedBytes;
        const status = k.call("create_pd", 0, selector, ROOT_PD).status;
        expect([Status.SUCCESS, Status.MEM_OBJ, Status.MEM_CAP]).toContain(status);
        if (status === Status.SUCCESS) {
          expect(k.state.objects.size).toBe(objects + 1);
        } else {
          expect(k.state.objects.size).toBe(objects);
          expect(quota.usedBytes).toBe(used);
          expect(status).toBe(slack < 256 ? Status.MEM_OBJ : Status.MEM_CAP);
        }
      }),
      { numRuns: 60 },
    );
  });
});
