import { createHostPageTableFormat } from "@novakit/arch-x86_64";
import { DEFAULT_ATTRIBUTES, MemoryPermission, type MemoryAttributes, type PageTableFormat } from "@novakit/kernel-core";

/**
 * The page-table workloads, shared by bench/page-tables.ts, its worker and (as numbers)
 * bench/native/pt_bench.c, which must stay in step with this file.
 */
export const PAGES = 2 ** 20;
export const VA_BASE = 0x0001_2340_0000_0000n;
/** Knuth's multiplicative hash: odd, so i -> i * HASH mod 2^k permutes the pages of a region */
const HASH = 0x9e3779b1;
/** the second region of the concurrent workloads starts 2 GiB above the first */
export const SECOND_REGION_OFFSET = 1n << 31n;
/** flags present|writable|user: NOVA R|W on a user mapping, write-back */
export const PERMISSIONS = MemoryPermission.R | MemoryPermission.W;
export const ATTRIBUTES: MemoryAttributes = DEFAULT_ATTRIBUTES;

/**
 * Page index of workload item `i` in a region of `count` pages (a power of two). The product is
 * below 2^52, so it is exact in a double.
 */
export function scatteredPage(i: number, count: number): number {
  return (i * HASH) % count;
}

/** VA(i) = base + (((i * 0x9E3779B1) mod count) << 12) */
export function scatteredAddress(base: bigint, i: number, count: number): bigint {
  return base + (BigInt(scatteredPage(i, count)) << 12n);
}

/** one x86_64 5-level host table (reference/paging.md §2.4) */
export function benchFormat(): PageTableFormat {
  return createHostPageTableFormat({ levels: 5, physicalAddressBits: 48, has1GbPages: true });
}
