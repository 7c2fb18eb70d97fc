import { MsrPermission } from "../abi/permissions.js";

const { R, W } = MsrPermission;

/**
 * The fixed allow-list of the NOVA MSR space (reference/nova.md §1.5); every other MSR is null.
 * MSR numbers from the Intel SDM Vol. 4 / AMD APM Vol. 2.
 */
export const NOVA_MSR_ALLOW_LIST: ReadonlyMap<number, number> = new Map([
  // RW
  [0x174, R | W], // IA32_SYSENTER_CS
  [0x175, R | W], // IA32_SYSENTER_ESP
  [0x176, R | W], // IA32_SYSENTER_EIP
  [0x277, R | W], // IA32_PAT
  [0xc0000080, R | W], // IA32_EFER
  [0xc0000100, R | W], // IA32_FS_BASE
  [0xc0000101, R | W], // IA32_GS_BASE
  [0xc0000102, R | W], // IA32_KERNEL_GS_BASE
  // W only
  [0x49, W], // IA32_PRED_CMD
  [0x10b, W], // IA32_FLUSH_CMD
  // R only
  [0x10, R], // IA32_TIME_STAMP_COUNTER
  [0x17, R], // IA32_PLATFORM_ID
  [0x8b, R], // IA32_BIOS_SIGN_ID
  [0xcf, R], // IA32_CORE_CAPABILITIES
  [0xe7, R], // IA32_MPERF
  [0xe8, R], // IA32_APERF
  [0xfe, R], // IA32_MTRRCAP
  [0x10a, R], // IA32_ARCH_CAPABILITIES
  [0x123, R], // IA32_MCU_OPT_CTRL
  [0x198, R], // IA32_PERF_STATUS
  [0x19c, R], // IA32_THERM_STATUS
  [0x1b1, R], // IA32_PACKAGE_THERM_STATUS
  [0xda0, R], // IA32_XSS
  [0xc0000081, R], // IA32_STAR
  [0xc0000082, R], // IA32_LSTAR
  [0xc0000084, R], // IA32_FMASK
  [0xc0000103, R], // IA32_TSC_AUX
]);
