import type { TranslationTable } from "../memory/translation-table.js";

/** A host, guest or DMA space of a booted kernel, for inspection tools (`novakit inspect`). */
export interface MemorySpaceView {
  /** the space object's id */
  readonly id: number;
  readonly kind: "HST" | "GST" | "DMA";
  /** id of the PD that owns the space */
  readonly pdId: number;
  readonly table: TranslationTable;
}
