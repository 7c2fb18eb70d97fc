/**
 * The 128-bit commands of the AMD IOMMU command buffer (reference/amd-iommu.md §5.2, §5.3) in
 * decoded form. A command is two little-endian quadwords: words[0] = bits 63:0 (opcode in
 * 63:60, operand 1 in 59:0), words[1] = bits 127:64 (operand 2).
 */
export type CommandWords = readonly [bigint, bigint];

/** Opcodes, bits 63:60 (§5.2); 00h and 0Bh-0Fh are reserved. */
export const CommandOpcode = {
  COMPLETION_WAIT: 0x1,
  INVALIDATE_DEVTAB_ENTRY: 0x2,
  INVALIDATE_IOMMU_PAGES: 0x3,
  INVALIDATE_IOTLB_PAGES: 0x4,
  INVALIDATE_INTERRUPT_TABLE: 0x5,
  PREFETCH_IOMMU_PAGES: 0x6,
  COMPLETE_PPR_REQUEST: 0x7,
  INVALIDATE_IOMMU_ALL: 0x8,
  INSERT_GUEST_EVENT: 0x9,
  RESET_VMMIO: 0xa,
} as const;

export interface CompletionWaitCommand {
  readonly kind: "COMPLETION_WAIT";
  /** S (bit 0): store `storeData` at `storeAddress` */
  readonly store: boolean;
  /** I (bit 1): set Status.ComWaitInt (and interrupt when ComWaitIntEn) */
  readonly interrupt: boolean;
  /** F (bit 2): flush queue; semantics unconfirmed, a no-op here as in the emulators */
  readonly flush: boolean;
  /** bits 51:3: an 8-byte aligned physical address */
  readonly storeAddress: bigint;
  /** bits 127:64 */
  readonly storeData: bigint;
}

export interface InvalidateDevtabEntryCommand {
  readonly kind: "INVALIDATE_DEVTAB_ENTRY";
  readonly deviceId: number;
}

export interface InvalidateIommuPagesCommand {
  readonly kind: "INVALIDATE_IOMMU_PAGES";
  /** bits 47:32 */
  readonly domainId: number;
  /** bits 19:0, meaningful with GN=1 */
  readonly pasid: number;
  /** bits 127:76 = address 63:12 (low 12 bits zero) */
  readonly address: bigint;
  /** S (bit 64): the address encodes a naturally aligned power-of-two range (§5.3) */
  readonly size: boolean;
  /** PDE (bit 65): page-directory entries too */
  readonly pde: boolean;
  /** GN (bit 66): guest (PASID) translations */
  readonly guest: boolean;
}

export interface InvalidateIotlbPagesCommand {
  readonly kind: "INVALIDATE_IOTLB_PAGES";
  readonly deviceId: number;
  /** 16 bits: 15:8 at command bits 23:16, 7:0 at 55:48 (Linux's split; §5.3 unconfirmed) */
  readonly pasid: number;
  /** bits 31:24 */
  readonly maxPending: number;
  /** bits 47:32 */
  readonly queueId: number;
  readonly address: bigint;
  readonly size: boolean;
  readonly guest: boolean;
  /** bits 69:68 (InvIotlbTypeSup) */
  readonly invalidationType: number;
}

export interface InvalidateInterruptTableCommand {
  readonly kind: "INVALIDATE_INTERRUPT_TABLE";
  readonly deviceId: number;
}

export interface PrefetchIommuPagesCommand {
  readonly kind: "PREFETCH_IOMMU_PAGES";
  readonly deviceId: number;
  /** bits 31:24 */
  readonly prefetchCount: number;
  /** bits 51:32 */
  readonly pasid: number;
  readonly address: bigint;
  readonly size: boolean;
  readonly guest: boolean;
  /** bit 68 */
  readonly invalidate: boolean;
}

export interface CompletePprRequestCommand {
  readonly kind: "COMPLETE_PPR_REQUEST";
  readonly deviceId: number;
  /** bits 51:32 */
  readonly pasid: number;
  readonly guest: boolean;
  /** bits 104:96 (Linux; §5.3 unconfirmed) */
  readonly tag: number;
  /** bits 111:108 */
  readonly responseCode: number;
}

export interface InvalidateIommuAllCommand {
  readonly kind: "INVALIDATE_IOMMU_ALL";
}

export type IommuCommand =
  | CompletionWaitCommand
  | InvalidateDevtabEntryCommand
  | InvalidateIommuPagesCommand
  | InvalidateIotlbPagesCommand
  | InvalidateInterruptTableCommand
  | PrefetchIommuPagesCommand
  | CompletePprRequestCommand
  | InvalidateIommuAllCommand;

export type IommuCommandKind = IommuCommand["kind"];
