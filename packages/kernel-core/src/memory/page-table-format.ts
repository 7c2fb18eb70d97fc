/**
 * A page-table format tells the generic radix engine how entries of one hardware table kind
 * are laid out (reference/nova.md §3.1-3.2, reference/paging.md). Every format here has 512
 * 64-bit entries per 4 KiB table (9 index bits per level). Level 0 maps 4 KiB, level 1 2 MiB,
 * level 2 1 GiB, level 3 512 GiB, level 4 256 TiB.
 *
 * Architecture and IOMMU plugins implement this interface; the engine in kernel-core never
 * knows a bit position.
 */

/** NOVA memory permission bits (reference/nova.md §1.4): R W XU XS. */
export const MemoryPermission = {
  R: 0x1,
  W: 0x2,
  XU: 0x4,
  XS: 0x8,
} as const;
export const MEMORY_PERMISSIONS_ALL = 0xf;

/** NOVA x86 MAD cache attribute (CA, bits 2:0): 0 WB, 1 WT, 2 WC, 3 UC, 4 WP. */
export type CacheAttribute = "WB" | "WT" | "WC" | "UC" | "WP" | "DEV";

export interface MemoryAttributes {
  readonly cache: CacheAttribute;
  /** memory-encryption key id (MAD KI); 0 when unused */
  readonly keyId: number;
  /** user-accessible (internal U bit 12): every user mapping has it */
  readonly user: boolean;
  /** kernel-owned memory (internal K bit 13), never delegable */
  readonly kernel: boolean;
  /** global (internal G bit 14) */
  readonly global: boolean;
  /** shadow-stack page (internal SS bit 15): x86 encodes it as W=0, D=1 */
  readonly shadowStack: boolean;
}

export const DEFAULT_ATTRIBUTES: MemoryAttributes = Object.freeze({
  cache: "WB",
  keyId: 0,
  user: true,
  kernel: false,
  global: false,
  shadowStack: false,
});

export type DecodedEntry =
  | { readonly type: "hole" }
  | { readonly type: "table"; readonly address: bigint }
  | {
      readonly type: "leaf";
      /** physical address of the frame (aligned to the level's page size) */
      readonly address: bigint;
      readonly permissions: number;
      readonly attributes: MemoryAttributes;
    };

/**
 * Entry classes for the allocation-free fast path of the engine (nova.md §3.1: HOLE, PTAB, LEAF).
 * Optional for formats.
 */
export const EntryKind = { HOLE: 0, TABLE: 1, LEAF: 2 } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/**
 * The internal "user accessible" bit (nova.md §1.4: U = bit 12) as it appears in the permission
 * masks returned by `PageTableFormat.pathPermissions`.
 */
export const PATH_PERMISSION_USER = 0x1000;

/** nova.md §3.4 invalidation policy flags of a format ([2026] inv_upgrade, inv_splinter, inv_notpresent). */
export interface InvalidationPolicy {
  /** every permission change needs a flush, not only reductions */
  readonly upgrade: boolean;
  /** splitting a LEAF into a PTAB needs a flush */
  readonly splinter: boolean;
  /** the walker caches not-present entries */
  readonly notPresent: boolean;
}

/** What a format that says nothing gets: the conservative Arm CPU defaults of nova.md §3.4. */
export const DEFAULT_INVALIDATION_POLICY: InvalidationPolicy = Object.freeze({ upgrade: true, splinter: true, notPresent: false });

export interface PageTableFormat {
  /** stable name, e.g. "x86_64-hpt-4level", "amd-iommu-dpt", "aarch64-s2" */
  readonly name: string;
  /** number of levels the walker uses from the root (4 or 5 on x86_64 hosts) */
  readonly levels: number;
  /** input address bits covered by `levels` (48 for 4 levels, 57 for 5) */
  readonly inputBits: number;
  /** output (physical) address bits */
  readonly outputBits: number;
  /** the highest level at which a leaf may be written (0 = 4 KiB only, 1 = 2 MiB, 2 = 1 GiB) */
  readonly maxLeafLevel: number;
  /** entries per root table; 512 except concatenated stage-2 roots */
  readonly rootEntries: number;
  /** Encode a pointer to the next-level table held in entry at `level` (the level of the entry). */
  encodeTable(tableAddress: bigint, level: number): bigint;
  /** Encode a leaf at `level` mapping `frameAddress`. */
  encodeLeaf(frameAddress: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint;
  /** Decode an entry found at `level`. Must accept every value encode* produced. */
  decode(entry: bigint, level: number): DecodedEntry;

  // ---- optional members (the engine falls back to `decode` without them) ----

  /** Fast path: classify an entry like `decode(entry, level).type` without allocating. */
  entryKind?(entry: bigint, level: number): EntryKind;
  /** Fast path: the table or frame address held by a TABLE or LEAF entry (like `decode(...).address`). */
  entryAddress?(entry: bigint, level: number): bigint;
  /**
   * How a TABLE entry at `level` restricts what the leaf below it grants, as a mask of
   * MemoryPermission bits plus PATH_PERMISSION_USER; the walker ANDs the masks along the path
   * (x86: R/W and U/S AND-ed, XD OR-ed, reference/paging.md §2.4). Absent: tables restrict nothing.
   */
  pathPermissions?(tableEntry: bigint, level: number): number;
  /**
   * true when the frame address is stored verbatim, i.e. encodeLeaf(a + k·size) equals
   * encodeLeaf(a) + k·size for every address inside `outputBits`; lets the engine encode a run of
   * leaves with one encodeLeaf call and additions.
   */
  readonly linearLeafAddress?: boolean;
  /** TLB invalidation policy; DEFAULT_INVALIDATION_POLICY when absent. */
  readonly invalidation?: InvalidationPolicy;
}
