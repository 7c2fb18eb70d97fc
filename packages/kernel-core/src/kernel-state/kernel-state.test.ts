import { describe, expect, it } from "vitest";
import { MsrPermission, PioPermission } from "../abi/permissions.js";
import { NovaObjectSelector } from "../abi/well-known-selectors.js";
import { testingPageTableFormat } from "../memory/testing-format.js";
import { KernelQuota } from "./kernel-quota.js";
import { createTestKernel, IOMMU_BASE, KERNEL_IMAGE } from "./test-support/test-kernel.js";

describe("KernelState: the NOVA spaces (nova.md §1.5)", () => {
  it("the NOVA host space nulls the kernel image, IOMMU/LAPIC/IOAPIC MMIO and the MSI range", () => {
    const { state } = createTestKernel();
    const host = state.novaHostSpace;
    const page = (address: bigint): bigint => address >> 12n;
    expect(host.isProtected(page(KERNEL_IMAGE.base))).toBe(true);
    expect(host.isProtected(page(KERNEL_IMAGE.base + KERNEL_IMAGE.size - 1n))).toBe(true);
    expect(host.isProtected(page(KERNEL_IMAGE.base + KERNEL_IMAGE.size))).toBe(false);
    expect(host.isProtected(page(IOMMU_BASE + 0x7f000n))).toBe(true);
    expect(host.isProtected(page(0xfec00000n))).toBe(true);
    expect(host.isProtected(page(0xfeeff000n))).toBe(true);
    expect(host.isProtected(page(0xfef00000n))).toBe(false);
    expect(host.isProtected(0n)).toBe(false);
  });

  it("the NOVA PIO space allows every port but the FADT's PM1a/PM1b/PM2 control and SMI_CMD", () => {
    const { state } = createTestKernel();
    const pio = state.novaPioSpace;
    const denied = [];
    for (let port = 0; port < 0x10000; port++) if (pio?.permissions(port) !== PioPermission.A) denied.push(port);
    expect(denied).toEqual([0xb2, 0x604, 0x605, 0x650]);
  });

  it("the NOVA MSR space is the fixed allow-list", () => {
    const { state } = createTestKernel();
    const msr = state.novaMsrSpace;
    expect(msr?.permissions(0xc0000080)).toBe(MsrPermission.R | MsrPermission.W);
    expect(msr?.permissions(0x10b)).toBe(MsrPermission.W);
    expect(msr?.permissions(0x10)).toBe(MsrPermission.R);
    expect(msr?.permissions(0x1b)).toBe(0); // APIC_BASE is not on the list
    let allowed = 0;
    for (let n = 0; n < 0x2000; n++) if (msr?.permissions(n)) allowed += 1;
    for (let n = 0xc0000000; n < 0xc0002000; n++) if (msr?.permissions(n)) allowed += 1;
    expect(allowed).toBe(27);
  });

  it("aarch64 has no PIO/MSR spaces and no x86 GSIs", () => {
    const { state } = createTestKernel({ arch: "aarch64" });
    expect(state.novaPioSpace).toBeUndefined();
    expect(state.novaMsrSpace).toBeUndefined();
    expect(state.interruptSemaphores.length).toBe(0);
    expect(state.novaObjectSpace.lookup(NovaObjectSelector.NOVA_PIO)).toBeUndefined();
  });
});

describe("KernelState services", () => {
  it("a second format for a space kind is NK-KRN-105", () => {
    const { state } = createTestKernel();
    expect(() => state.registerFormat("HST", testingPageTableFormat)).toThrow(expect.objectContaining({ code: "NK-KRN-105" }));
  });

  it("the table allocator charges the quota per page and gives frames back", () => {
    const { state } = createTestKernel();
    const quota = new KernelQuota(8192, undefined);
    const allocator = state.tableAllocator(quota);
    const free = state.frames.freeCount();
    const a = allocator.allocateTable();
    const b = allocator.allocateTable();
    expect(allocator.allocateTable()).toBeUndefined(); // quota exhausted
    expect(quota.usedBytes).toBe(8192);
    expect(state.frames.freeCount()).toBe(free - 2);
    allocator.freeTable(a as bigint);
    allocator.freeTable(b as bigint);
    expect([quota.usedBytes, state.frames.freeCount()]).toEqual([0, free]);
  });

  it("the host selector count follows the HST format (2^35 for 48 bits)", () => {
    const { state } = createTestKernel();
    expect(state.hostSelectorCount()).toBe(1n << 35n);
    expect(state.cpuCount).toBe(2);
  });
});
