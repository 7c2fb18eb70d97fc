import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import { paRangeCodeOf } from "../discovery/arm-cpu-model.js";
import { stage1Geometry, stage2Geometry } from "./vmsa-geometry.js";

/** Field positions of TCR_EL2 with HCR_EL2.E2H = 0 and of VTCR_EL2 (reference/paging.md §3.6). */
export const TranslationControl = {
  T0SZ_SHIFT: 0n,
  SL0_SHIFT: 6n,
  IRGN0_SHIFT: 8n,
  ORGN0_SHIFT: 10n,
  SH0_SHIFT: 12n,
  TG0_SHIFT: 14n,
  PS_SHIFT: 16n,
  VTCR_VS: 1n << 19n,
  TCR_RES1_23: 1n << 23n,
  RES1_31: 1n << 31n,
  DS: 1n << 32n,
  VTCR_SL2: 1n << 33n,
} as const;

/** walk cacheability: 1 = Write-Back Read-Allocate Write-Allocate; shareability 3 = inner */
const WALK_WB_WA = 1n;
const INNER_SHAREABLE = 3n;
const TG0_4K = 0n;

export interface Stage1ControlOptions {
  readonly inputBits: number;
  /** the CPU's physical address bits (PARange) */
  readonly physicalAddressBits: number;
  readonly lpa2: boolean;
}

/**
 * The output size programmed in PS: min(PARange, 48 bits) without DS (paging.md §3.6: without DS
 * the 4 KiB output is capped at 48 bits), min(PARange, 52) with it.
 */
function psOf(physicalAddressBits: number, lpa2: boolean): bigint {
  return BigInt(paRangeCodeOf(Math.min(physicalAddressBits, lpa2 ? 52 : 48)));
}

/**
 * TCR_EL2 (E2H = 0) for the host stage-1 tables: T0SZ = 64 - VA bits, walks inner/outer WB-WA
 * and inner shareable, TG0 4 KiB, PS from the CPU, RES1 bits 23 and 31, DS with LPA2.
 * The 48-bit example of paging.md §3.9 (PS 5) is 0x8085_3510.
 */
export function tcrEl2(options: Stage1ControlOptions): bigint {
  const geometry = stage1Geometry(options.inputBits, Math.min(options.physicalAddressBits, options.lpa2 ? 52 : 48), options.lpa2);
  const C = TranslationControl;
  let value = BigInt(64 - geometry.inputBits) << C.T0SZ_SHIFT;
  value |= WALK_WB_WA << C.IRGN0_SHIFT;
  value |= WALK_WB_WA << C.ORGN0_SHIFT;
  value |= INNER_SHAREABLE << C.SH0_SHIFT;
  value |= TG0_4K << C.TG0_SHIFT;
  value |= psOf(options.physicalAddressBits, options.lpa2) << C.PS_SHIFT;
  value |= C.TCR_RES1_23 | C.RES1_31;
  if (options.lpa2) value |= C.DS;
  return value;
}

export interface Stage2ControlOptions {
  readonly ipaBits: number;
  readonly physicalAddressBits: number;
  readonly lpa2: boolean;
  /** 16-bit VMIDs (VTCR_EL2.VS); default false (8-bit) */
  readonly vmid16?: boolean;
}

/**
 * SL0 of the 4 KiB granule (paging.md §3.6): start level 2 -> 0, 1 -> 1, 0 -> 2, 3 -> 3;
 * level -1 is SL0 = 0 with SL2 = 1 (DS only).
 */
export function sl0Of(startLevel: number): { readonly sl0: bigint; readonly sl2: boolean } {
  switch (startLevel) {
    case 2:
      return { sl0: 0n, sl2: false };
    case 1:
      return { sl0: 1n, sl2: false };
    case 0:
      return { sl0: 2n, sl2: false };
    case 3:
      return { sl0: 3n, sl2: false };
    case -1:
      return { sl0: 0n, sl2: true };
    default:
      throw a64Error(A64Diagnostic.BAD_GEOMETRY, `no SL0/SL2 encoding for stage-2 start level ${startLevel}`, { field: "startLevel" });
  }
}

/**
 * VTCR_EL2 for the guest stage-2 tables: T0SZ = 64 - IPA bits, SL0 from the start level the
 * geometry chose, walks WB-WA inner shareable, TG0 4 KiB, PS as NOVA (min(PARange, 48)), RES1
 * bit 31, DS with LPA2. NOVA's 40-bit value with PS 2 (paging.md §3.10) is 0x8002_3558.
 */
export function vtcrEl2(options: Stage2ControlOptions): bigint {
  const geometry = stage2Geometry(options.ipaBits, Math.min(options.physicalAddressBits, options.lpa2 ? 52 : 48), options.lpa2);
  const C = TranslationControl;
  const { sl0, sl2 } = sl0Of(geometry.startLevel);
  let value = BigInt(64 - geometry.inputBits) << C.T0SZ_SHIFT;
  value |= sl0 << C.SL0_SHIFT;
  value |= WALK_WB_WA << C.IRGN0_SHIFT;
  value |= WALK_WB_WA << C.ORGN0_SHIFT;
  value |= INNER_SHAREABLE << C.SH0_SHIFT;
  value |= TG0_4K << C.TG0_SHIFT;
  value |= psOf(options.physicalAddressBits, options.lpa2) << C.PS_SHIFT;
  value |= C.RES1_31;
  if (options.vmid16 === true) value |= C.VTCR_VS;
  if (options.lpa2) value |= C.DS;
  if (sl2) value |= C.VTCR_SL2;
  return value;
}

/**
 * TTBR0_EL2 / VTTBR_EL2 base field (paging.md §3.6): the root address in bits 47:1 (aligned to
 * the root's size); with a 52-bit root its bits 51:48 go to register bits 5:2.
 */
export function translationTableBase(rootAddress: bigint, rootBytes: number): bigint {
  const alignment = BigInt(Math.max(rootBytes, 64));
  if (rootAddress < 0n || rootAddress >= 1n << 52n || rootAddress % alignment !== 0n) {
    throw a64Error(A64Diagnostic.BAD_ENCODING, `root 0x${rootAddress.toString(16)} is not a 52-bit address aligned to its ${rootBytes}-byte table`, { field: "rootAddress" });
  }
  return (rootAddress & ((1n << 48n) - 1n)) | (((rootAddress >> 48n) & 0xfn) << 2n);
}

/** VTTBR_EL2 = VMID << 48 | base (NOVA writes VMID<<48 | root; 16-bit VMIDs need VTCR_EL2.VS). */
export function vttbrEl2(rootAddress: bigint, rootBytes: number, vmid: number, vmid16 = false): bigint {
  const limit = vmid16 ? 0x1_0000 : 0x100;
  if (!Number.isInteger(vmid) || vmid < 0 || vmid >= limit) {
    throw a64Error(A64Diagnostic.BAD_VALUE, `VMID ${vmid} does not fit ${vmid16 ? 16 : 8} bits`, { field: "vmid" });
  }
  return (BigInt(vmid) << 48n) | translationTableBase(rootAddress, rootBytes);
}
