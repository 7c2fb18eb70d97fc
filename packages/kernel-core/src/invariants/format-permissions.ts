import { DEFAULT_ATTRIBUTES, type PageTableFormat } from "../memory/page-table-format.js";

const MEMORY_PERMISSION_VALUES = 16;

/**
 * What a set of given memory permissions becomes once a format encodes it: x86 host tables
 * imply R from any present entry and may fold XU/XS into one X bit (nova.md §1.4 note), AMD I/O
 * tables keep only R/W. A leaf may therefore read back wider than what was delegated without
 * anything being wrong; comparing against the widened value keeps the check exact per format.
 */
export function permissionWidener(format: PageTableFormat): (given: number) => number {
  const table: number[] = [];
  for (let permissions = 0; permissions < MEMORY_PERMISSION_VALUES; permissions++) {
    if (permissions === 0) {
      table.push(0);
      continue;
    }
    const decoded = format.decode(format.encodeLeaf(0n, 0, permissions, DEFAULT_ATTRIBUTES), 0);
    table.push(decoded.type === "leaf" ? decoded.permissions | permissions : permissions);
  }
  return (given) => table[given & (MEMORY_PERMISSION_VALUES - 1)] ?? given;
}
