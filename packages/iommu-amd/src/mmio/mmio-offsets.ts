/**
 * Byte offsets of the AMD IOMMU MMIO registers the model implements (reference/amd-iommu.md §2.2;
 * the same names NOVA uses in inc/x86_64/smmu_amd.hpp, nova.md §4.4).
 *
 * Registers inside the window that the model does NOT implement read as 0 and ignore writes:
 * PPR log base 0038h, hardware event upper/lower/status 0040h-0050h (no HESup events are latched),
 * SMI filter 0060h-00D8h, GA log base/tail 00E0h/00E8h, PPR log B / event log B bases
 * 00F0h/00F8h, device table segment bases 0100h-0130h, device-specific feature/control/status
 * 0138h-0148h, the MSI capability mirror 0150h-0168h, MARC apertures 0200h-0258h, PPR log
 * head/tail 2030h/2038h, GA log head/tail 2040h/2048h, PPR log B head/tail 2050h/2058h, event
 * log B head/tail 2070h/2078h, PPR auto-response 2080h-2090h and, with PCSup, the performance
 * counter block 4000h and 40000h-7FFFFh. No PPR, GA-log, dual-log, SMI-filter or counter
 * behaviour exists in the model, so nothing would ever change those registers.
 */
export const IommuMmio = {
  DEV_TBL_BASE: 0x0000,
  CMD_BUF_BASE: 0x0008,
  EVT_LOG_BASE: 0x0010,
  CONTROL: 0x0018,
  EXCL_BASE: 0x0020,
  EXCL_LIMIT: 0x0028,
  EFR: 0x0030,
  /** 32-bit register at a 4-byte aligned offset (NOVA writes it with a 32-bit store) */
  PERF_OPT_CTRL: 0x016c,
  /** x2APIC interrupt control for the event log / general interrupt (used when Control.IntCapXTEn) */
  XT_GEN_INT_CTRL: 0x0170,
  XT_PPR_INT_CTRL: 0x0178,
  XT_GALOG_INT_CTRL: 0x0180,
  EFR2: 0x01a0,
  CMD_HEAD: 0x2000,
  CMD_TAIL: 0x2008,
  EVT_HEAD: 0x2010,
  EVT_TAIL: 0x2018,
  STATUS: 0x2020,
} as const;

export type IommuMmioRegister = keyof typeof IommuMmio;

/** The MMIO window: 16 KiB, or 512 KiB when EFR.PCSup (performance counters) is set (§2.1). */
export const MMIO_WINDOW_BYTES = 0x4000;
export const MMIO_WINDOW_BYTES_WITH_COUNTERS = 0x8_0000;
