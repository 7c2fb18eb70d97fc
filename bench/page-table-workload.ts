import { createHostPageTableFormat } from "@novakit/arch-x86_64";
import { DEFAULT_ATTRIBUTES, MemoryPermission, type MemoryAttributes, type PageTableFormat } from "@novakit/kernel-core";

/**
 * The page-table workloads, shared by bench/page-tables.ts, its worker and (as numbers)
 * bench/native/pt_bench.c, which must stay in step with this file.
 */
export const PAGES = 2 ** 20;
export const VA_BASE = 0x0001_2340_0000_0000n;
/** VA_BASE as a page number (2^36.2: exact as a double) */
export const VA_BASE_PAGE = Number(VA_BASE >> 12n);
/** Knuth's multiplicative hash: odd, so i -> i * HASH mod 2^k permutes the pages of a region */
const HASH = 0x9e3779b1;

/** the second region of the concurrent workloads starts 2 GiB above the first */
export const SECOND_REGION_OFFSET = 1n << 31n;
/** flags present|writable|user: NOVA R|W on a user mapping, write-back */
export const PERMISSIONS = MemoryPermission.R | MemoryPermission.W;
export const ATTRIBUTES: MemoryAttributes = DEFAULT_ATTRIBUTES;

/**
 * Page index of workload item `i` in a region of `count` pages (a power of two):
 * (i * 0x9E3779B1) mod count, computed as the C baseline does: the low bits of the 32-bit product
 * (Math.imul) are those of the exact product, so no 52-bit multiply and no fmod.
 */
export function scatteredPageFast(i: number, count: number): number {
  return Math.imul(i, HASH) & (count - 1);
}

/** one x86_64 5-level host table (reference/paging.md §2.4) */
export function benchFormat(): PageTableFormat {
  return createHostPageTableFormat({ levels: 5, physicalAddressBits: 48, has1GbPages: true });
}
