import { describe, expect, it } from "vitest";
import type { DmaResult, PhysicalMemory } from "@novakit/kernel-core";
import { DPT_ADDRESS_MASK } from "../dpt/amd-dpt-bits.js";
import type { DmaTranslation } from "../translation/translate-dma.js";
import { AHCI_BDF, bootIommuKernel, RootDma } from "./test-support/iommu-test-kernel.js";

const FRAME_A = 0x18000n;
const IOVA_PAGE = 0x40000n;
const PAGE_1 = IOVA_PAGE << 12n;
const PAGE_2 = PAGE_1 + 0x1000n;

/** physical address of the level-1 entry of `iova` in a 4-level AMD I/O page table */
function leafEntryAddress(memory: PhysicalMemory, root: bigint, iova: bigint): bigint {
  let table = root;
  for (let level = 4; level > 1; level--) {
    const index = (iova >> BigInt(12 + 9 * (level - 1))) & 511n;
    table = memory.read64(table + index * 8n) & DPT_ADDRESS_MASK;
  }
  return table + ((iova >> 12n) & 511n) * 8n;
}

describe("unmapping from a DMA space invalidates the IOTLB before the frames are reused", () => {
  it("a stale IOTLB entry would still serve the device; the driver's INVALIDATE_IOMMU_PAGES removes it", async () => {
    const seen: Record<string, DmaResult | DmaTranslation | undefined> = {};
    let invalidationCommands = -1;
    await bootIommuKernel({
      rootTask: async (api, { kernel, driver }) => {
        const memory = kernel.services.physicalMemory;
        const hardware = driver.units[0]!.hardware;
        const model = hardware as unknown as { stats(): { commandsProcessed: number } };
        const read = (address: bigint) => kernel.hooks.dma.call({ sbdf: AHCI_BDF, address, length: 8, write: false });
        const dma = new RootDma(api);
        await dma.takeNovaHost();
        const a = await dma.dmaSpace();
        await dma.map(a, FRAME_A, IOVA_PAGE, 1);
        await dma.assign(a, AHCI_BDF);
        seen["page1"] = read(PAGE_1);
        seen["page2"] = read(PAGE_2);

        // page 1: the PTE cleared behind the kernel's back, no invalidation: the IOTLB still answers
        const root = kernel.memorySpaces().find((view) => view.kind === "DMA")!.table.rootAddress;
        memory.write64(leafEntryAddress(memory, root, PAGE_1), 0n);
        seen["page1Stale"] = read(PAGE_1);
        seen["page1Walk"] = hardware.translate({ bdf: AHCI_BDF, iova: PAGE_1, write: false, useCache: false });

        // page 2: revoked through ctrl_pd (mask 0): the unmapped hook makes the driver invalidate
        const before = model.stats().commandsProcessed;
        await dma.map(a, FRAME_A + 1n, IOVA_PAGE + 1n, 0, 0);
        invalidationCommands = model.stats().commandsProcessed - before;
        seen["page2AfterUnmap"] = read(PAGE_2);
      },
    });
    expect(seen["page1"]).toEqual({ ok: true, physicalAddress: FRAME_A << 12n });
    expect(seen["page2"]).toEqual({ ok: true, physicalAddress: (FRAME_A + 1n) << 12n });
    expect(seen["page1Stale"]).toEqual({ ok: true, physicalAddress: FRAME_A << 12n });
    expect(seen["page1Walk"]).toMatchObject({ ok: false, fault: { reason: "NOT_PRESENT" } });
    // INVALIDATE_IOMMU_PAGES for the page + the COMPLETION_WAIT
    expect(invalidationCommands).toBe(2);
    expect(seen["page2AfterUnmap"]).toMatchObject({ ok: false, reason: expect.stringContaining("NOT_PRESENT") });
  });
});
