/**
 * The MMIO registers, Control and Status bits and EFR bits the driver programs and reads, as
 * NOVA's driver knows them (reference/amd-iommu.md §2.2, §2.4, §2.5, §7.1; nova.md §4.4). The
 * driver keeps its own copy of these facts on purpose: it talks to the hardware model only
 * through MMIO and memory, so a model that put a bit in the wrong place shows up as a failure.
 */
export const MmioRegister = Object.freeze({
  DEV_TBL_BASE: 0x0000,
  CMD_BUF_BASE: 0x0008,
  EVT_LOG_BASE: 0x0010,
  CONTROL: 0x0018,
  EXCL_BASE: 0x0020,
  EXCL_LIMIT: 0x0028,
  EFR: 0x0030,
  PERF_OPT_CTRL: 0x016c,
  XT_GEN_INT_CTRL: 0x0170,
  XT_PPR_INT_CTRL: 0x0178,
  XT_GALOG_INT_CTRL: 0x0180,
  EFR2: 0x01a0,
  CMD_HEAD: 0x2000,
  CMD_TAIL: 0x2008,
  EVT_HEAD: 0x2010,
  EVT_TAIL: 0x2018,
  STATUS: 0x2020,
} as const);

/** Control (0018h) bits NOVA sets (§2.4, nova.md §4.4 step 10). */
export const ControlBit = Object.freeze({
  IOMMU_EN: 1n << 0n,
  EVENT_LOG_EN: 1n << 2n,
  EVENT_INT_EN: 1n << 3n,
  COHERENT: 1n << 10n,
  CMD_BUF_EN: 1n << 12n,
  GA_EN: 1n << 17n,
  XT_EN: 1n << 50n,
  INT_CAP_XT_EN: 1n << 51n,
} as const);

/** Status (2020h) bits (§2.5): 0-2 write-1-to-clear, 3-4 read-only. */
export const StatusBit = Object.freeze({
  EVENT_OVERFLOW: 1n << 0n,
  EVENT_LOG_INT: 1n << 1n,
  COM_WAIT_INT: 1n << 2n,
  EVENT_LOG_RUN: 1n << 3n,
  CMD_BUF_RUN: 1n << 4n,
} as const);

/** EFR (0030h) bits the driver decides on (§7.1, nova.md §4.4). */
export const EfrBit = Object.freeze({
  XT_SUP: 1n << 2n,
  IA_SUP: 1n << 6n,
  GA_SUP: 1n << 7n,
  PERF_OPT_SUP: 1n << 45n,
} as const);

/** EFR.HATS, bits 11:10: host table depth 4 + HATS; 11b reserved (§7.1). */
export function hatsOf(efr: bigint): number {
  return Number((efr >> 10n) & 3n);
}

/** 4 KiB queues: log2 of 256 entries, in bits 59:56 of the base registers (§2.3, nova.md §4.3). */
export const QUEUE_LENGTH_LOG2 = 8;
export const QUEUE_ENTRIES = 1 << QUEUE_LENGTH_LOG2;
export const QUEUE_ENTRY_BYTES = 16;
/** head/tail registers hold a byte offset in bits 18:4 (§2.2, nova.md §4.3) */
export const QUEUE_POINTER_MASK = 0x7fff0n;
/** Device Table Base Size field for 2 MiB, 65536 entries (§2.3: NOVA writes 1FFh) */
export const DEVICE_TABLE_SIZE_FIELD = 0x1ffn;
/** MSI/x2APIC vector of every SMMU: VEC_FLT (nova.md §4.4 step 6, §4.7) */
export const VEC_FLT = 255;
