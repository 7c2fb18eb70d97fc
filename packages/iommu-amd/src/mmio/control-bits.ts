/**
 * Control register (MMIO 0018h) bits the model acts on (reference/amd-iommu.md §2.4). The others
 * are stored and read back but change nothing in the model (HT tunnel, PassPW, Coherent, PPR,
 * GT, GA, x2APIC, SNP ...).
 */
export const IommuControl = {
  IOMMU_EN: 1n << 0n,
  HT_TUN_EN: 1n << 1n,
  EVENT_LOG_EN: 1n << 2n,
  EVENT_INT_EN: 1n << 3n,
  COM_WAIT_INT_EN: 1n << 4n,
  COHERENT: 1n << 10n,
  CMD_BUF_EN: 1n << 12n,
  GA_EN: 1n << 17n,
  XT_EN: 1n << 50n,
  INT_CAP_XT_EN: 1n << 51n,
} as const;

/** §2.4: bits 21:18, 49 and 57 are reserved; a write leaves them 0. */
export const CONTROL_WRITABLE_MASK = 0xffff_ffff_ffff_ffffn & ~(0xfn << 18n) & ~(1n << 49n) & ~(1n << 57n);
