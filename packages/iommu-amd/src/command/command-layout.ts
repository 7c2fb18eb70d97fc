import { CommandOpcode, type IommuCommandKind } from "./command-types.js";

/**
 * Bit layout shared by the encoders and the decoder (reference/amd-iommu.md §5.3). Reserved masks
 * are per quadword: low = bits 59:0 of words[0] (the opcode nibble excluded), high = words[1].
 * A set reserved bit makes the command illegal (§5.2, §10.12; QEMU and VirtualBox check them).
 */
export const OPCODE_SHIFT = 60n;
export const OPERAND1_MASK = (1n << 60n) - 1n;
export const ALL_ONES_64 = (1n << 64n) - 1n;

/** COMPLETION_WAIT: S, I, F in bits 2:0; store address 51:3 */
export const CW_STORE = 1n << 0n;
export const CW_INTERRUPT = 1n << 1n;
export const CW_FLUSH = 1n << 2n;
export const CW_ADDRESS_MASK = 0x000f_ffff_ffff_fff8n;

/** operand-2 flags of the page invalidations: S (64), PDE (65), GN (66), PREFETCH Inval (68) */
export const INV_SIZE = 1n << 0n;
export const INV_PDE = 1n << 1n;
export const INV_GUEST = 1n << 2n;
export const PREFETCH_INVALIDATE = 1n << 4n;
/** bits 127:76 = address 63:12 */
export const INV_ADDRESS_MASK = 0xffff_ffff_ffff_f000n;

export interface ReservedMasks {
  readonly low: bigint;
  readonly high: bigint;
}

export const RESERVED_BITS: Readonly<Record<IommuCommandKind, ReservedMasks>> = Object.freeze({
  COMPLETION_WAIT: { low: 0xffn << 52n, high: 0n },
  INVALIDATE_DEVTAB_ENTRY: { low: OPERAND1_MASK & ~0xffffn, high: ALL_ONES_64 },
  // 31:20, 59:48 reserved; 75:67 reserved
  INVALIDATE_IOMMU_PAGES: { low: (0xfffn << 20n) | (0xfffn << 48n), high: 0x1ffn << 3n },
  // 59:56 reserved; 65, 67, 75:70 reserved
  INVALIDATE_IOTLB_PAGES: { low: 0xfn << 56n, high: (1n << 1n) | (1n << 3n) | (0x3fn << 6n) },
  INVALIDATE_INTERRUPT_TABLE: { low: OPERAND1_MASK & ~0xffffn, high: ALL_ONES_64 },
  // QEMU: 23:16, 59:52, 65, 67, 75:69
  PREFETCH_IOMMU_PAGES: { low: (0xffn << 16n) | (0xffn << 52n), high: (1n << 1n) | (1n << 3n) | (0x7fn << 5n) },
  // only DeviceID, PASID, GN, tag 104:96 and response 111:108 are defined
  COMPLETE_PPR_REQUEST: {
    low: (0xffffn << 16n) | (0xffn << 52n),
    high: ALL_ONES_64 & ~(INV_GUEST | (0x1ffn << 32n) | (0xfn << 44n)),
  },
  INVALIDATE_IOMMU_ALL: { low: OPERAND1_MASK, high: ALL_ONES_64 },
});

export const OPCODE_OF: Readonly<Record<IommuCommandKind, number>> = Object.freeze({
  COMPLETION_WAIT: CommandOpcode.COMPLETION_WAIT,
  INVALIDATE_DEVTAB_ENTRY: CommandOpcode.INVALIDATE_DEVTAB_ENTRY,
  INVALIDATE_IOMMU_PAGES: CommandOpcode.INVALIDATE_IOMMU_PAGES,
  INVALIDATE_IOTLB_PAGES: CommandOpcode.INVALIDATE_IOTLB_PAGES,
  INVALIDATE_INTERRUPT_TABLE: CommandOpcode.INVALIDATE_INTERRUPT_TABLE,
  PREFETCH_IOMMU_PAGES: CommandOpcode.PREFETCH_IOMMU_PAGES,
  COMPLETE_PPR_REQUEST: CommandOpcode.COMPLETE_PPR_REQUEST,
  INVALIDATE_IOMMU_ALL: CommandOpcode.INVALIDATE_IOMMU_ALL,
});
