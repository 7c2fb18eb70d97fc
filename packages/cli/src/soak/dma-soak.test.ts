import { describe, expect, it } from "vitest";
import { runDmaSoak, SOAK_REQUESTS } from "./dma-soak.js";

/**
 * The DMA isolation soak: 1 000 000 DMA requests from tenant-b's accelerator, at seeded random
 * addresses, through the real iommu-amd plugin (its `dma` tap, the AmdIommu model's IOTLB and
 * walk, its event log) on the booted shared AI host (the default configuration). A few seconds
 * on an idle machine; in its own file so it can be run alone (`npx vitest run --project cli src/soak`).
 * It prints its figures as one JSON line ("[soak] {...}").
 */
describe("DMA soak on the shared AI host", () => {
  it(`${SOAK_REQUESTS} malicious requests: none escapes tenant-b's memory, every abort is in the event log or counted as dropped`, async () => {
    const figures = await runDmaSoak({ requests: SOAK_REQUESTS, seed: 0x50a4 });
    console.info(`[soak] ${JSON.stringify(figures)}`);
    expect(figures.requests).toBe(SOAK_REQUESTS);
    expect(figures.escaped).toBe(0);
    expect(figures.mistranslated).toBe(0);
    expect(figures.translated + figures.aborted).toBe(SOAK_REQUESTS);
    // the hardware's own count of aborts is ours, and each one is in the log or was dropped
    expect(figures.hardwareFaults).toBe(figures.aborted);
    expect(figures.logged + figures.dropped).toBe(figures.aborted);
    // the address mix reaches both outcomes and both logging paths (the log overflows between interrupts)
    expect(figures.translated).toBeGreaterThan(SOAK_REQUESTS / 10);
    expect(figures.aborted).toBeGreaterThan(SOAK_REQUESTS / 2);
    expect(figures.dropped).toBeGreaterThan(0);
    expect(figures.overflowRestarts).toBeGreaterThan(0);
  }, 300_000);
});
