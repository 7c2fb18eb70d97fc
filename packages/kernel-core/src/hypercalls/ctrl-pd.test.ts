import { describe, expect, it } from "vitest";
import { encodeMadX86, encodeSelectorWord } from "../abi/descriptors.js";
import { MsrPermission, PioPermission, SpacePermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import { NovaObjectSelector, RootObjectSelector, SELNUM } from "../abi/well-known-selectors.js";
import type { DelegationEvent, MappingEvent } from "../hooks/hook-types.js";
import { createTestKernel, type TestKernel } from "../kernel-state/test-support/test-kernel.js";
import type { HostSpace } from "../objects/host-space.js";
import type { MsrSpace } from "../objects/msr-space.js";
import type { PioSpace } from "../objects/pio-space.js";
import type { ProtectionDomain } from "../objects/protection-domain.js";
import { lookupCapability } from "./capability-lookup.js";

const ROOT_PD = BigInt(RootObjectSelector.ROOT_PD);
const ROOT_OBJ = BigInt(RootObjectSelector.ROOT_OBJ);
const NOVA_OBJ = BigInt(RootObjectSelector.NOVA_OBJ);
// where the tests put capabilities fetched from the NOVA object space
const NOVA_HST = 0x100n;
const NOVA_PIO = 0x101n;
const NOVA_MSR = 0x102n;
const ROOT_HST = 0x103n;
const ROOT_PIO = 0x104n;
const WB = encodeMadX86({ cacheAttribute: 0, keyId: 0 });

function ctrlPd(k: TestKernel, src: bigint, dst: bigint, ssb: bigint, order: number, dsb: bigint, pmm: number, mad = WB): Status {
  return k.call("ctrl_pd", 0, src, dst, encodeSelectorWord(ssb, order), encodeSelectorWord(dsb, pmm), mad).status;
}

/** the root fetches the NOVA and root space capabilities into its own object space */
function rootWithSpaces(options: Parameters<typeof createTestKernel>[0] = {}): TestKernel {
  const k = createTestKernel(options);
  const fetch = (novaSelector: number, to: bigint): void => expect(ctrlPd(k, NOVA_OBJ, ROOT_OBJ, BigInt(novaSelector), 0, to, 0x1f)).toBe(Status.SUCCESS);
  fetch(NovaObjectSelector.NOVA_HST, NOVA_HST);
  fetch(NovaObjectSelector.NOVA_PIO, NOVA_PIO);
  fetch(NovaObjectSelector.NOVA_MSR, NOVA_MSR);
  fetch(NovaObjectSelector.ROOT_HST, ROOT_HST);
  fetch(NovaObjectSelector.ROOT_PIO, ROOT_PIO);
  return k;
}

function child(k: TestKernel, sel: bigint): ProtectionDomain {
  expect(k.call("create_pd", 0, sel, ROOT_PD).status).toBe(Status.SUCCESS);
  expect(k.call("create_pd", 1, sel + 1n, sel).status).toBe(Status.SUCCESS);
  expect(k.call("create_pd", 2, sel + 2n, sel).status).toBe(Status.SUCCESS);
  return lookupCapability(k.root.pd, sel)?.object as ProtectionDomain;
}

describe("ctrl_pd checks, in order", () => {
  it("BAD_PAR for ssb or dsb not aligned to 2^ord, before looking at capabilities", () => {
    const k = rootWithSpaces();
    expect(ctrlPd(k, 0x999n, 0x999n, 1n, 1, 0n, 0x1f)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, 0x999n, 0x999n, 0n, 2, 2n, 0x1f)).toBe(Status.BAD_PAR);
  });

  it("BAD_CAP without TAKE on the source, GRANT on the destination, or for non-space capabilities", () => {
    const k = rootWithSpaces();
    expect(ctrlPd(k, ROOT_OBJ, NOVA_OBJ, 0n, 0, 0x200n, 0x1f)).toBe(Status.BAD_CAP); // NOVA OBJ: TAKE only
    expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, ROOT_PD, 0, 0x200n, SpacePermission.GRANT)).toBe(Status.SUCCESS); // no-op self copy of the PD
    expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, ROOT_OBJ, 0, 0x201n, SpacePermission.GRANT)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, 0x201n, ROOT_OBJ, 0n, 0, 0x202n, 0x1f)).toBe(Status.BAD_CAP); // GRANT-only copy cannot TAKE
    expect(ctrlPd(k, ROOT_PD, ROOT_OBJ, 0n, 0, 0x202n, 0x1f)).toBe(Status.BAD_CAP); // a PD is not a space
    expect(ctrlPd(k, ROOT_OBJ, BigInt(RootObjectSelector.ROOT_EC), 0n, 0, 0x202n, 0x1f)).toBe(Status.BAD_CAP);
  });

  it("BAD_CAP for every pair but HST->HST/GST/DMA, OBJ->OBJ, PIO->PIO, MSR->MSR", () => {
    const k = rootWithSpaces();
    expect(k.call("create_pd", 6, 0x105n, ROOT_PD).status).toBe(Status.SUCCESS); // root MSR space
    expect(ctrlPd(k, ROOT_OBJ, ROOT_HST, 0n, 0, 0n, 0x1f)).toBe(Status.BAD_CAP);
    expect(ctrlPd(k, ROOT_HST, ROOT_OBJ, 0n, 0, 0n, 0x1f)).toBe(Status.BAD_CAP);
    expect(ctrlPd(k, NOVA_PIO, 0x105n, 0n, 0, 0n, 0x1f)).toBe(Status.BAD_CAP);
    expect(ctrlPd(k, NOVA_MSR, ROOT_PIO, 0n, 0, 0n, 0x1f)).toBe(Status.BAD_CAP);
  });

  it("checks the MAD only when the source is the NOVA host space (CA reserved, KI > KIMAX)", () => {
    const k = rootWithSpaces();
    const reservedCa = encodeMadX86({ cacheAttribute: 5, keyId: 0 });
    const bigKey = encodeMadX86({ cacheAttribute: 0, keyId: 1 });
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x400n, 0, 0x1000n, 0xf, reservedCa)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x400n, 0, 0x1000n, 0xf, bigKey)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, ROOT_HST, ROOT_HST, 0x1000n, 0, 0x2000n, 0xf, reservedCa)).toBe(Status.SUCCESS);
    const withKeys = rootWithSpaces({ keyIdMax: 3 });
    expect(ctrlPd(withKeys, NOVA_HST, ROOT_HST, 0x400n, 0, 0x1000n, 0xf, encodeMadX86({ cacheAttribute: 0, keyId: 3 }))).toBe(Status.SUCCESS);
  });

  it("BAD_PAR for ranges beyond either space, and PIO/MSR with ssb != dsb", () => {
    const k = rootWithSpaces();
    expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, BigInt(SELNUM), 0, 0x200n, 0x1f)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, ROOT_OBJ, ROOT_OBJ, 0n, 19, 0n, 0x1f)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x400n, 0, 1n << 35n, 0xf)).toBe(Status.BAD_PAR); // beyond the user half
    expect(ctrlPd(k, NOVA_PIO, ROOT_PIO, 0x10000n, 0, 0x10000n, 1)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, NOVA_PIO, ROOT_PIO, 0x60n, 0, 0x61n, 1)).toBe(Status.BAD_PAR);
    expect(k.call("create_pd", 6, 0x105n, ROOT_PD).status).toBe(Status.SUCCESS);
    expect(ctrlPd(k, NOVA_MSR, 0x105n, 0x2000n, 0, 0x2000n, 3)).toBe(Status.BAD_PAR);
    expect(ctrlPd(k, NOVA_MSR, 0x105n, 0x1ff0n, 5, 0x1ff0n, 3)).toBe(Status.BAD_PAR);
  });
});

describe("ctrl_pd: PIO and MSR", () => {
  it("copies port bits, masked by pmm; FADT ports stay denied; pmm 0 revokes", () => {
    const k = rootWithSpaces();
    expect(ctrlPd(k, NOVA_PIO, ROOT_PIO, 0x600n, 8, 0x600n, PioPermission.A)).toBe(Status.SUCCESS);
    const pio = k.root.pioSpace as PioSpace;
    expect(pio.permissions(0x600)).toBe(PioPermission.A);
    expect([pio.permissions(0x604), pio.permissions(0x605), pio.permissions(0x650)]).toEqual([0, 0, 0]);
    expect(pio.permissions(0x5ff)).toBe(0);
    expect(ctrlPd(k, NOVA_PIO, ROOT_PIO, 0xb2n, 0, 0xb2n, 1)).toBe(Status.SUCCESS);
    expect(pio.permissions(0xb2)).toBe(0); // SMI_CMD without `insecure`
    expect(ctrlPd(k, NOVA_PIO, ROOT_PIO, 0x600n, 4, 0x600n, 0)).toBe(Status.SUCCESS);
    expect(pio.permissions(0x600)).toBe(0);
    expect(pio.permissions(0x610)).toBe(PioPermission.A);
    const insecure = rootWithSpaces({ insecure: true });
    expect(ctrlPd(insecure, NOVA_PIO, ROOT_PIO, 0xb2n, 0, 0xb2n, 1)).toBe(Status.SUCCESS);
    expect((insecure.root.pioSpace as PioSpace).permissions(0xb2)).toBe(PioPermission.A);
  });

  it("copies MSR read/write bits from the NOVA allow-list, masked by pmm", () => {
    const k = rootWithSpaces();
    expect(k.call("create_pd", 6, 0x105n, ROOT_PD).status).toBe(Status.SUCCESS);
    const msr = lookupCapability(k.root.pd, 0x105n)?.object as MsrSpace;
    expect(ctrlPd(k, NOVA_MSR, 0x105n, 0xc0000080n, 7, 0xc0000080n, 3)).toBe(Status.SUCCESS);
    expect(msr.permissions(0xc0000080)).toBe(MsrPermission.R | MsrPermission.W); // EFER
    expect(msr.permissions(0xc0000082)).toBe(MsrPermission.R); // LSTAR
    expect(msr.permissions(0xc0000090)).toBe(0);
    expect(ctrlPd(k, NOVA_MSR, 0x105n, 0x0n, 13, 0x0n, MsrPermission.R)).toBe(Status.SUCCESS);
    expect(msr.permissions(0x174)).toBe(MsrPermission.R);
    expect(msr.permissions(0x49)).toBe(0); // PRED_CMD is write-only, masked to R
    expect(msr.permissions(0x10)).toBe(MsrPermission.R);
  });
});

describe("ctrl_pd: memory", () => {
  it("maps physical pages from the NOVA host space with MAD attributes; protected memory stays null", () => {
    const k = rootWithSpaces();
    const mapped: MappingEvent[] = [];
    const delegated: DelegationEvent[] = [];
    k.state.hooks.mapped.tap("test", (e) => void mapped.push(e));
    k.state.hooks.delegated.tap("test", (e) => void delegated.push(e));
    const wc = encodeMadX86({ cacheAttribute: 2, keyId: 0 });
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x400n, 9, 0x1000n, 0x3, wc)).toBe(Status.SUCCESS);
    const table = (k.root.hostSpace as HostSpace).table;
    const t = table.lookup(0x1000000n + 0x1234n);
    expect(t).toMatchObject({ outputAddress: 0x401234n, permissions: 0x3, order: 9 });
    expect(t?.attributes.cache).toBe("WC");
    expect(t?.attributes.user).toBe(true);
    expect(mapped).toEqual([{ kind: "HST", spaceId: k.root.hostSpace.id, ownerPd: k.root.pd.id, page: 0x1000n, order: 9, frame: 0x400n, permissions: 3 }]);
    expect(delegated).toEqual([{ kind: "HST", sourcePd: k.state.novaPd.id, destinationPd: k.root.pd.id, sourceBase: 0x400n, destinationBase: 0x1000n, order: 9, mask: 3 }]);
    // the kernel image (2-4 MiB) and the MSI page are protected: copying them maps nothing,
    // and the copy removes what the destination had there
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x200n, 9, 0x1000n, 0xf)).toBe(Status.SUCCESS);
    expect(table.lookup(0x1000000n)).toBeUndefined();
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0xfee00n, 0, 0x3000n, 0xf)).toBe(Status.SUCCESS);
    expect(table.lookup(0x3000000n)).toBeUndefined();
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0xfeb80n, 0, 0x3000n, 0xf)).toBe(Status.SUCCESS); // IOMMU MMIO
    expect(table.lookup(0x3000000n)).toBeUndefined();
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0xfed00n, 0, 0x3000n, 0xf)).toBe(Status.SUCCESS); // ordinary MMIO (HPET)
    expect(table.lookup(0x3000000n)?.outputAddress).toBe(0xfed00000n);
  });

  it("host-to-host copies inherit attributes; K pages (HIP, UTCB) arrive without permissions", () => {
    const k = rootWithSpaces();
    const pd = child(k, 0x300n);
    const childTable = (pd.hostSpace as HostSpace).table;
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x800n, 4, 0x2000n, 0xf, encodeMadX86({ cacheAttribute: 3, keyId: 0 }))).toBe(Status.SUCCESS);
    expect(ctrlPd(k, ROOT_HST, 0x302n, 0x2000n, 4, 0x40n, 0x5, encodeMadX86({ cacheAttribute: 7, keyId: 0 }))).toBe(Status.SUCCESS);
    const t = childTable.lookup(0x40000n);
    expect(t).toMatchObject({ outputAddress: 0x800000n, permissions: 0x5 });
    expect(t?.attributes.cache).toBe("UC");
    const hipPage = k.root.hipAddress >> 12n;
    expect(ctrlPd(k, ROOT_HST, 0x302n, hipPage - 1n, 1, 0x80n, 0xf)).toBe(Status.SUCCESS);
    expect(childTable.lookup(0x80000n)).toBeUndefined();
    expect(childTable.lookup(0x81000n)).toBeUndefined();
  });

  it("pmm 0 unmaps, fires `unmapped` after the update, then releases waitlisted tables", () => {
    const k = rootWithSpaces();
    const pd = child(k, 0x300n);
    const childTable = (pd.hostSpace as HostSpace).table;
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x800n, 0, 0x2000n, 0xf)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, ROOT_HST, 0x302n, 0x2000n, 0, 0x40n, 0xf)).toBe(Status.SUCCESS);
    const used = pd.ownQuota.usedBytes;
    const unmapped: MappingEvent[] = [];
    k.state.hooks.unmapped.tap("test", (e) => {
      unmapped.push(e);
      expect(childTable.lookup(0x40000n)).toBeUndefined(); // the update happened before the invalidation
    });
    expect(ctrlPd(k, ROOT_HST, 0x302n, 0x2000n, 0, 0x40n, 0)).toBe(Status.SUCCESS);
    expect(unmapped).toEqual([{ kind: "HST", spaceId: pd.hostSpace?.id, ownerPd: pd.id, page: 0x40n, order: 0, permissions: 0 }]);
    expect(childTable.lookup(0x40000n)).toBeUndefined();
    expect(pd.ownQuota.usedBytes).toBeLessThanOrEqual(used);
  });

  it("MEM_CAP part way keeps what was done", () => {
    const k = rootWithSpaces();
    const pd = child(k, 0x300n);
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x800n, 0, 0x0n, 0xf)).toBe(Status.SUCCESS); // VA 0
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x801n, 0, 0x40000n, 0xf)).toBe(Status.SUCCESS); // VA 1 GiB
    pd.ownQuota.setLimit(pd.ownQuota.usedBytes + 3 * 4096); // L2+L1+L0 for the first page only
    expect(ctrlPd(k, ROOT_HST, 0x302n, 0n, 19, 0n, 0xf)).toBe(Status.MEM_CAP);
    const childTable = (pd.hostSpace as HostSpace).table;
    expect(childTable.lookup(0n)?.outputAddress).toBe(0x800000n);
    expect(childTable.lookup(0x40000000n)).toBeUndefined();
  });

  it("HST -> GST and HST -> DMA write the guest/IO tables", () => {
    const k = rootWithSpaces();
    child(k, 0x300n);
    expect(k.call("create_pd", 3, 0x310n, 0x300n).status).toBe(Status.SUCCESS);
    expect(k.call("create_pd", 4, 0x311n, 0x300n).status).toBe(Status.SUCCESS);
    expect(ctrlPd(k, NOVA_HST, ROOT_HST, 0x1000n, 9, 0x1000n, 0xf)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, ROOT_HST, 0x310n, 0x1000n, 9, 0x0n, 0x7)).toBe(Status.SUCCESS);
    expect(ctrlPd(k, ROOT_HST, 0x311n, 0x1000n, 9, 0x200n, 0x3)).toBe(Status.SUCCESS);
    const gst = lookupCapability(k.root.pd, 0x310n)?.object as HostSpace;
    const dma = lookupCapability(k.root.pd, 0x311n)?.object as HostSpace;
    expect(gst.table.lookup(0x5000n)).toMatchObject({ outputAddress: 0x1005000n, permissions: 0x7 });
    expect(dma.table.lookup(0x200000n)).toMatchObject({ outputAddress: 0x1000000n, permissions: 0x3 });
  });
});

describe("ctrl_pd: objects", () => {
  it("copies a range, masks per object type, and a pmm-0 copy revokes and releases", () => {
    const k = rootWithSpaces();
    expect(k.call("create_sm", 0, 0x400n, ROOT_PD, 0n).status).toBe(Status.SUCCESS);
    expect(k.call("create_sm", 0, 0x401n, ROOT_PD, 0n).status).toBe(Status.SUCCESS);
    const pd = child(k, 0x300n);
    const sm = lookupCapability(k.root.pd, 0x400n)?.object;
    expect(ctrlPd(k, ROOT_OBJ, 0x301n, 0x400n, 1, 0x10n, 0x1)).toBe(Status.SUCCESS);
    expect(lookupCapability(pd, 0x10n)).toEqual({ object: sm, permissions: 0x1 });
    expect(sm?.referenceCount).toBe(2);
    expect(ctrlPd(k, ROOT_OBJ, 0x301n, 0x400n, 1, 0x10n, 0x4)).toBe(Status.SUCCESS); // no SM bit 2: null
    expect(lookupCapability(pd, 0x10n)).toBeUndefined();
    expect(lookupCapability(pd, 0x11n)).toBeUndefined();
    expect(sm?.referenceCount).toBe(1);
  });
});
