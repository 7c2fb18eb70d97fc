/**
 * x86_64 control-register and MSR bits the boot path programs (paging.md §2.1; nova.md §8.3
 * "Enable EFER.NXE/LME/SCE and PAE/PGE, then paging").
 */
export const Cr0 = {
  PE: 1n << 0n,
  WP: 1n << 16n,
  PG: 1n << 31n,
} as const;

export const Cr4 = {
  PAE: 1n << 5n,
  PGE: 1n << 7n,
  LA57: 1n << 12n,
  PCIDE: 1n << 17n,
} as const;

export const Efer = {
  SCE: 1n << 0n,
  LME: 1n << 8n,
  LMA: 1n << 10n,
  NXE: 1n << 11n,
} as const;

export const Msr = {
  IA32_PAT: 0x277,
  IA32_EFER: 0xc000_0080,
} as const;
