/**
 * EL2 system-register values this model programs per CPU. Bit positions are the Arm ARM's
 * (HCR_EL2, SCTLR_EL2); reference/paging.md does not list them, so they are documented here.
 */

/** SCTLR_EL2 with E2H = 0: RES1 bits 4, 5, 11, 16, 18, 22, 23, 28, 29 (QEMU's reset 0x30C5_0838 = RES1 | SA). */
export const SCTLR_EL2_RES1 = 0x30c5_0830n;
export const SctlrEl2 = {
  /** stage-1 MMU on */
  M: 1n << 0n,
  /** alignment checks */
  A: 1n << 1n,
  /** data caches on */
  C: 1n << 2n,
  /** stack alignment check */
  SA: 1n << 3n,
  /** instruction caches on */
  I: 1n << 12n,
  /** write implies execute-never */
  WXN: 1n << 19n,
  /** big-endian data at EL2 */
  EE: 1n << 25n,
} as const;

/** NOVA runs its EL2 tables with MMU, caches and stack alignment checks on, little-endian. */
export function sctlrEl2(): bigint {
  return SCTLR_EL2_RES1 | SctlrEl2.M | SctlrEl2.C | SctlrEl2.SA | SctlrEl2.I;
}

export const HcrEl2 = {
  /** stage-2 translation for EL1&0 */
  VM: 1n << 0n,
  /** set/way invalidation override */
  SWIO: 1n << 1n,
  /** physical FIQ/IRQ/SError routing to EL2 */
  FMO: 1n << 3n,
  IMO: 1n << 4n,
  AMO: 1n << 5n,
  /** trap WFI / WFE */
  TWI: 1n << 13n,
  TWE: 1n << 14n,
  /** trap SMC: a guest's PSCI calls come to the hypervisor */
  TSC: 1n << 19n,
  /** EL1 is AArch64 */
  RW: 1n << 31n,
  /** VHE; off in this model (one-range TCR_EL2) */
  E2H: 1n << 34n,
} as const;

/**
 * The value a vCPU runs with: stage 2 on, interrupts and SErrors routed to EL2, SMC and WFI
 * trapped (PSCI and idle go through the hypervisor), AArch64 EL1, non-VHE.
 */
export function hcrEl2ForGuest(): bigint {
  const H = HcrEl2;
  return H.VM | H.SWIO | H.FMO | H.IMO | H.AMO | H.TWI | H.TSC | H.RW;
}
