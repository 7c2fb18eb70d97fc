import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";

/** reference/platform.md §2.1: cell 0 of a GIC interrupt specifier. */
export type GicInterruptType = "SPI" | "PPI" | "ESPI" | "EPPI";

/** A decoded three-cell GIC interrupt specifier (platform.md §2.1). */
export interface GicInterrupt {
  readonly type: GicInterruptType;
  /** number within its type (cell 1) */
  readonly number: number;
  /** cell 2: trigger bits 3:0, GICv2 PPI CPU mask bits 15:8 */
  readonly flags: number;
  /** GIC INTID: 32 + SPI, 16 + PPI (platform.md §2.1); extended ranges from §4 */
  readonly intid: number;
  /** "edge-rising" | "edge-falling" | "level-high" | "level-low" from flags bits 3:0 */
  readonly trigger: "edge-rising" | "edge-falling" | "level-high" | "level-low" | "none";
  /** GICv2 PPI target CPU mask (flags bits 15:8), 0 when absent */
  readonly cpuMask: number;
}

const TYPES: readonly GicInterruptType[] = ["SPI", "PPI", "ESPI", "EPPI"];
/** platform.md §2.1 ranges and §4 bases: SPI 0-987, PPI 0-15, ESPI 0-1023 (INTID 4096+), EPPI 0-127 (INTID 1056+) */
const LIMITS: Readonly<Record<GicInterruptType, { readonly count: number; readonly base: number }>> = {
  SPI: { count: 988, base: 32 },
  PPI: { count: 16, base: 16 },
  ESPI: { count: 1024, base: 4096 },
  EPPI: { count: 128, base: 1056 },
};

function triggerOf(flags: number): GicInterrupt["trigger"] {
  switch (flags & 0xf) {
    case 1:
      return "edge-rising";
    case 2:
      return "edge-falling";
    case 4:
      return "level-high";
    case 8:
      return "level-low";
    default:
      return "none";
  }
}

/** Decodes 3-cell specifiers; `where` names the property for errors (NK-A64-010). */
export function decodeGicInterrupts(cells: readonly number[], where: { readonly file: string; readonly field: string }): GicInterrupt[] {
  if (cells.length % 3 !== 0) {
    throw a64Error(A64Diagnostic.BAD_VALUE, `${cells.length} cells is not a list of 3-cell GIC interrupt specifiers`, where);
  }
  const interrupts: GicInterrupt[] = [];
  for (let at = 0; at < cells.length; at += 3) {
    const typeCell = cells[at] as number;
    const number = cells[at + 1] as number;
    const flags = cells[at + 2] as number;
    const type = TYPES[typeCell];
    if (type === undefined) throw a64Error(A64Diagnostic.BAD_VALUE, `interrupt type ${typeCell} is not SPI (0), PPI (1), ESPI (2) or EPPI (3)`, where);
    const limit = LIMITS[type];
    if (number >= limit.count) throw a64Error(A64Diagnostic.BAD_VALUE, `${type} ${number} is out of range (0-${limit.count - 1})`, where);
    interrupts.push({ type, number, flags, intid: limit.base + number, trigger: triggerOf(flags), cpuMask: (flags >>> 8) & 0xff });
  }
  return interrupts;
}
