import type { PageTableFormat } from "@novakit/kernel-core";
import { createLongModeFormat } from "./host-page-table-format.js";
import type { X86PagingOptions } from "./x86-paging-options.js";

/**
 * AMD nested page tables: exactly the long-mode host format (reference/paging.md §2.8), walked
 * as a user access, so U/S=1 in every entry — table pointers already carry it (P|RW|US|A),
 * leaves get it regardless of the `user` attribute.
 */
export function createNptFormat(options: X86PagingOptions): PageTableFormat {
  return createLongModeFormat(options, { name: `x86_64-npt-${options.levels}level`, forceUser: true });
}
