import type { DmaTranslation } from "../translation/translate-dma.js";

/**
 * What the driver needs of one IOMMU: its MMIO window, and the translation a device's request
 * gets (the hardware's side of DMA, not something software calls on real machines; the `dma`
 * hook stands in for the bus). `AmdIommu` (src/unit/) is one; a test may wrap it.
 */
export interface IommuHardware {
  mmioRead64(offset: number): bigint;
  mmioWrite64(offset: number, value: bigint): void;
  /** a 32-bit store (PERF_OPT_CTRL at 016Ch is a 32-bit register); optional */
  mmioWrite32?(offset: number, value: number): void;
  translate(request: { readonly bdf: number; readonly iova: bigint; readonly write: boolean; readonly useCache?: boolean }): DmaTranslation;
  /** the unit's counters; the driver reads droppedEvents (events lost to a full log) for the boot summary */
  stats?(): { readonly droppedEvents: number; readonly faults: number };
  /** fault injection: while set, the command buffer is not processed (a driver's timeout path) */
  stallCommands: boolean;
}
