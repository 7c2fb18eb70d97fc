/**
 * What an aborted DMA request reports: the event the IOMMU would log (reference/amd-iommu.md §6.2,
 * §6.3) plus the model's reason. The 12-bit flag field sits at event bits 59:48; the flag bit
 * positions inside it are GN 0, NX 1, US 2, I 3, PR 4, RW 5, PE 6, RZ 7, TR 8.
 */
export const IoFaultFlag = { GN: 1 << 0, NX: 1 << 1, US: 1 << 2, I: 1 << 3, PR: 1 << 4, RW: 1 << 5, PE: 1 << 6, RZ: 1 << 7, TR: 1 << 8 } as const;

export interface IoFaultFlags {
  /** the request carried a PASID (never, here) */
  readonly GN: boolean;
  /** execute requested (never, here) */
  readonly NX: boolean;
  /** user request (never, here) */
  readonly US: boolean;
  /** interrupt request (0: a memory request) */
  readonly I: boolean;
  /** the failing entry was present */
  readonly PR: boolean;
  /** a write */
  readonly RW: boolean;
  /** permission denied */
  readonly PE: boolean;
  /** reserved bit set or invalid level encoding */
  readonly RZ: boolean;
  /** ATS translation request (never, here) */
  readonly TR: boolean;
}

/** Event codes (§6.3) the DMA walk can produce. */
export type IoFaultCode = "IO_PAGE_FAULT" | "ILLEGAL_DEV_TABLE_ENTRY";

export const IO_FAULT_EVENT_CODE: Readonly<Record<IoFaultCode, number>> = Object.freeze({ ILLEGAL_DEV_TABLE_ENTRY: 1, IO_PAGE_FAULT: 2 });

/** Why the request was aborted (the model's words for what the flags encode). */
export type DmaFaultReason =
  /** DTE V=1 TV=0: NOVA's and Linux's blocked state (§3.4) */
  | "DMA_BLOCKED"
  /** DTE reserved bits set (§3.3, QEMU's spec 3.x masks) */
  | "DTE_RESERVED_BITS"
  /** DTE Mode 7 (reserved), or deeper than the IOMMU's 4 + HATS levels (§4.1) */
  | "DTE_BAD_MODE"
  /** address bits at or above 12 + 9 * Mode set (§4.1) */
  | "ADDRESS_OUT_OF_RANGE"
  | "NOT_PRESENT"
  /** NextLevel not below the current level, or a default-size leaf at level 6 (§4.3 step 7) */
  | "INVALID_LEVEL"
  /** a skipping PDE with non-zero skipped address bits (§4.3 step 7) */
  | "SKIPPED_BITS_SET"
  /** a NextLevel 7 page size outside the bounds of its level (§4.4) */
  | "BAD_PAGE_SIZE"
  /** IR/IW, ANDed over the DTE and every level, do not allow the access (§4.3 step 8) */
  | "PERMISSION"
  /** the DeviceID lies beyond the device table size programmed in DEV_TBL_BASE (§3.4, §10.1) */
  | "DEVICE_ID_OUT_OF_RANGE";

export interface DmaFault {
  readonly code: IoFaultCode;
  readonly reason: DmaFaultReason;
  /** DeviceID (BDF) of the request */
  readonly deviceId: number;
  /** DTE DomainID (event dw1 15:0 of IO_PAGE_FAULT) */
  readonly domainId: number;
  /** the DMA address of the request */
  readonly address: bigint;
  readonly flags: IoFaultFlags;
  /** the same flags as the 12-bit event field (bits 59:48 of the event) */
  readonly flagsWord: number;
  /** AMD level (1-based) of the entry that failed; the DTE level (Mode) for DTE faults */
  readonly level: number;
}

/** Build the flag record from the 12-bit field. */
export function ioFaultFlags(word: number): IoFaultFlags {
  return {
    GN: (word & IoFaultFlag.GN) !== 0,
    NX: (word & IoFaultFlag.NX) !== 0,
    US: (word & IoFaultFlag.US) !== 0,
    I: (word & IoFaultFlag.I) !== 0,
    PR: (word & IoFaultFlag.PR) !== 0,
    RW: (word & IoFaultFlag.RW) !== 0,
    PE: (word & IoFaultFlag.PE) !== 0,
    RZ: (word & IoFaultFlag.RZ) !== 0,
    TR: (word & IoFaultFlag.TR) !== 0,
  };
}
