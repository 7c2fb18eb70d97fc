import { NovakitError } from "@novakit/kernel-core";

/** What a CPU tells about its paging (reference/paging.md §2.1, nova.md §3.1). */
export interface X86PagingOptions {
  /** 4 = IA-32e 4-level (48-bit input), 5 = LA57 (57-bit input) */
  readonly levels: 4 | 5;
  /** MAXPHYADDR from CPUID 0x80000008:EAX[7:0] (at most 52) */
  readonly physicalAddressBits: number;
  /** TME-MK key-id bits taken from the top of the physical address (0 when unused) */
  readonly keyIdBits?: number;
  /** CPUID 0x80000001:EDX[26]: 1 GiB leaves allowed (NOVA's mll 2, else 1) */
  readonly has1GbPages: boolean;
}

/** The derived widths every x86 format needs. */
export interface X86PagingGeometry {
  readonly levels: 4 | 5;
  readonly inputBits: 48 | 57;
  readonly physicalAddressBits: number;
  readonly keyIdBits: number;
  /** nova.md §3.1 obits: physical-address width minus key-id bits; the key id sits at bit obits */
  readonly outputBits: number;
  readonly maxLeafLevel: 1 | 2;
}

export function x86PagingGeometry(options: X86PagingOptions, formatName: string): X86PagingGeometry {
  const fail = (field: string, message: string): never => {
    throw new NovakitError("NK-MEM-010", `${formatName}: ${message}`, { field }, "levels is 4 or 5, physicalAddressBits 32..52");
  };
  if (options.levels !== 4 && options.levels !== 5) fail("levels", `${String(options.levels)} paging levels`);
  const physical = options.physicalAddressBits;
  if (!Number.isInteger(physical) || physical < 32 || physical > 52) fail("physicalAddressBits", `${physical}-bit physical addresses`);
  const keyIdBits = options.keyIdBits ?? 0;
  if (!Number.isInteger(keyIdBits) || keyIdBits < 0 || physical - keyIdBits < 32) {
    fail("keyIdBits", `${keyIdBits} key-id bits leave fewer than 32 address bits`);
  }
  return {
    levels: options.levels,
    inputBits: options.levels === 5 ? 57 : 48,
    physicalAddressBits: physical,
    keyIdBits,
    outputBits: physical - keyIdBits,
    maxLeafLevel: options.has1GbPages ? 2 : 1,
  };
}
