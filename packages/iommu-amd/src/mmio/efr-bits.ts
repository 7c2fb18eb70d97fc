/** Extended Feature Register bits the model consults (reference/amd-iommu.md §7.1). */
export const EfrBit = {
  PREF_SUP: 1n << 0n,
  PPR_SUP: 1n << 1n,
  XT_SUP: 1n << 2n,
  IA_SUP: 1n << 6n,
  GA_SUP: 1n << 7n,
  PC_SUP: 1n << 9n,
  PERF_OPT_SUP: 1n << 45n,
  VIOMMU_SUP: 1n << 55n,
} as const;

/** EFR.HATS, bits 11:10: host page-table depth code (0 = 4 levels, 1 = 5, 2 = 6, 3 reserved). */
export function efrHats(efr: bigint): number {
  return Number((efr >> 10n) & 3n);
}
