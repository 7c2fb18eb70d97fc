/** CET MSR numbers (reference/cet.md §2; nova.md §5 "CET MSR numbers known to the code"). */
export const CetMsr = {
  IA32_U_CET: 0x6a0,
  IA32_S_CET: 0x6a2,
  IA32_PL0_SSP: 0x6a4,
  IA32_PL1_SSP: 0x6a5,
  IA32_PL2_SSP: 0x6a6,
  IA32_PL3_SSP: 0x6a7,
  IA32_INTERRUPT_SSP_TABLE_ADDR: 0x6a8,
} as const;

/** Bits of IA32_U_CET and IA32_S_CET, identical layouts (cet.md §2 bit table). */
export const CetControl = {
  /** bit 0: shadow stacks at this privilege */
  SH_STK_EN: 1n << 0n,
  /** bit 1: WRSSD/WRSSQ allowed */
  WR_SHSTK_EN: 1n << 1n,
  /** bit 2: indirect branch tracking */
  ENDBR_EN: 1n << 2n,
  /** bit 3: legacy code-page bitmap */
  LEG_IW_EN: 1n << 3n,
  /** bit 4: honour the NOTRACK prefix (3E) */
  NO_TRACK_EN: 1n << 4n,
  /** bit 5: tracker suppression disabled */
  SUPPRESS_DIS: 1n << 5n,
  /** bit 10: tracker suppressed */
  SUPPRESS: 1n << 10n,
  /** bit 11: tracker state, 0 IDLE, 1 WAIT_FOR_ENDBRANCH */
  TRACKER: 1n << 11n,
} as const;

/** bits 9:6 are reserved and must be 0 (cet.md §2) */
export const CET_CONTROL_RESERVED = 0xfn << 6n;
/** bits 63:12: EB_LEG_BITMAP_BASE, linear address of the legacy code-page bitmap */
export const CET_LEGACY_BITMAP_MASK = ((1n << 64n) - 1n) & ~0xfffn;

/** CR4.CET, the master enable (cet.md §1): bit 23. */
export const CR4_CET = 1n << 23n;
/** CR0.WP (bit 16): CR4.CET may only be set while it is 1 (cet.md §1). */
export const CR0_WP = 1n << 16n;

/**
 * NOVA's IA32_S_CET value (cet.md §7 step 2): IBT contributes ENDBR_EN | NO_TRACK_EN |
 * SUPPRESS_DIS (0x34), SSS contributes SH_STK_EN (0x1); full = 0x35. IA32_U_CET stays untouched.
 */
export function supervisorCetValue(live: { readonly ibt: boolean; readonly sss: boolean }): bigint {
  let value = 0n;
  if (live.ibt) value |= CetControl.ENDBR_EN | CetControl.NO_TRACK_EN | CetControl.SUPPRESS_DIS;
  if (live.sss) value |= CetControl.SH_STK_EN;
  return value;
}

/** A U_CET/S_CET value field by field. */
export interface CetControlFields {
  readonly shadowStack: boolean;
  readonly writeShadowStack: boolean;
  readonly endbranch: boolean;
  readonly legacyBitmap: boolean;
  readonly noTrack: boolean;
  readonly suppressDisable: boolean;
  readonly suppressed: boolean;
  readonly waitForEndbranch: boolean;
  readonly legacyBitmapBase: bigint;
}

export function decodeCetControl(value: bigint): CetControlFields {
  const bit = (mask: bigint): boolean => (value & mask) !== 0n;
  return {
    shadowStack: bit(CetControl.SH_STK_EN),
    writeShadowStack: bit(CetControl.WR_SHSTK_EN),
    endbranch: bit(CetControl.ENDBR_EN),
    legacyBitmap: bit(CetControl.LEG_IW_EN),
    noTrack: bit(CetControl.NO_TRACK_EN),
    suppressDisable: bit(CetControl.SUPPRESS_DIS),
    suppressed: bit(CetControl.SUPPRESS),
    waitForEndbranch: bit(CetControl.TRACKER),
    legacyBitmapBase: value & CET_LEGACY_BITMAP_MASK,
  };
}
