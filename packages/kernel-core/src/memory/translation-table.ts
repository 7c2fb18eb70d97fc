import type { MemoryAttributes, PageTableFormat } from "./page-table-format.js";

/**
 * CONTRACT between the radix engine (memory/) and its users (delegation, IOMMU, inspect).
 * Addresses are byte addresses; `order` is log2 of a count of 4 KiB pages (NOVA's "ord").
 */
export interface Translation {
  /** output address of the requested input address, page offset included */
  readonly outputAddress: bigint;
  readonly permissions: number;
  readonly attributes: MemoryAttributes;
  /** order of the leaf that translated it: 0 (4 KiB), 9 (2 MiB), 18 (1 GiB) */
  readonly order: number;
}

export interface LeafBlock {
  readonly inputAddress: bigint;
  readonly outputAddress: bigint;
  readonly order: number;
  readonly permissions: number;
  readonly attributes: MemoryAttributes;
}

export type UpdateResult =
  | { readonly ok: true; readonly flushNeeded: boolean }
  | { readonly ok: false; readonly status: "MEM_CAP" }
  /** an address or order the format cannot express (input beyond inputBits, output beyond outputBits, misaligned, bad permissions) */
  | { readonly ok: false; readonly status: "BAD_PAR" };

export interface TableMemoryStats {
  readonly levels: number;
  /** tables currently allocated, per level (index = level) */
  readonly tablesPerLevel: readonly number[];
  /** leaves per order (0, 9, 18) */
  readonly leavesByOrder: Readonly<Record<number, number>>;
  readonly bytesUsed: number;
}

export interface TranslationTable {
  readonly format: PageTableFormat;
  /** physical address of the root table (what CR3 / the DTE / VTTBR holds) */
  readonly rootAddress: bigint;
  /**
   * Map [input, input + 2^order pages) to [output, ...). Leaves use the largest level the format
   * allows that fits the alignment of both addresses and the order; large leaves covering part of
   * the range are split. permissions = 0 removes the range (same as unmap).
   */
  map(input: bigint, output: bigint, order: number, permissions: number, attributes: MemoryAttributes): UpdateResult;
  unmap(input: bigint, order: number): UpdateResult;
  lookup(input: bigint): Translation | undefined;
  /** the present leaves intersecting [input, input + 2^order pages), clipped to that range, in order */
  leaves(input: bigint, order: number): LeafBlock[];
  /** free tables waitlisted by unmap/merge once the caller has invalidated TLBs (nova.md §3.4) */
  releaseWaitlisted(): number;
  /** the tables as hardware would read them, root first, then each next-level table depth-first */
  dump(): Uint8Array;
  stats(): TableMemoryStats;
}
