import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";

/**
 * How a VMSAv8-64 table with the 4 KiB granule maps onto the engine's leaf-first level numbers
 * (reference/paging.md §3.1, conventions: Arm numbers levels from the root -1..3, the engine
 * from the leaf 0..4, so armLevel = 3 - engineLevel).
 */
export interface VmsaGeometry {
  /** engine levels: 4 for a 48-bit stage-1 walk (Arm L0-L3), 5 with LPA2 52-bit (Arm L-1) */
  readonly levels: number;
  readonly inputBits: number;
  readonly outputBits: number;
  /** entries of the root table(s): 512, 16 for LPA2 level -1, up to 8192 for concatenated stage-2 roots */
  readonly rootEntries: number;
  /** the Arm level the walk starts at (-1..2) */
  readonly startLevel: number;
  /** concatenated root tables (stage 2), 1 otherwise */
  readonly concatenatedTables: number;
  /** FEAT_LPA2 descriptors (TCR.DS = 1): OA[51:50] in bits 9:8, blocks at Arm level 0 */
  readonly lpa2: boolean;
  /** highest engine level with blocks: 2 (1 GiB), 3 (512 GiB) with DS = 1 */
  readonly maxLeafLevel: number;
}

export function armLevelOf(engineLevel: number): number {
  return 3 - engineLevel;
}

const GRANULE_BITS = 12;
const STRIDE = 9;

function check(condition: boolean, message: string, field: string): void {
  if (!condition) throw a64Error(A64Diagnostic.BAD_GEOMETRY, message, { field });
}

/** Output size rule (paging.md §3.6): a PARange width; above 48 bits only with DS = 1 (4 KiB). */
function checkOutput(outputBits: number, lpa2: boolean): void {
  check([32, 36, 40, 42, 44, 48, 52].includes(outputBits), `${outputBits} output bits is not a PARange width (32, 36, 40, 42, 44, 48, 52)`, "outputBits");
  check(outputBits <= 48 || lpa2, `${outputBits}-bit output addresses need FEAT_LPA2 (TCR.DS = 1) with the 4 KiB granule`, "outputBits");
}

/**
 * Stage 1 (paging.md §3.1): input size 64 - T0SZ, T0SZ 16..39 (25..48 bits), or 12 (52 bits) with
 * LPA2; start level = 4 - (inputBits - 4) / 9. The root holds 2^(bits left) entries.
 */
export function stage1Geometry(inputBits: number, outputBits: number, lpa2: boolean): VmsaGeometry {
  check(Number.isInteger(inputBits) && ((inputBits >= 25 && inputBits <= 48) || (inputBits === 52 && lpa2)), `${inputBits}-bit stage-1 input is outside T0SZ 16..39${lpa2 ? " or 12 (LPA2)" : ""}`, "inputBits");
  checkOutput(outputBits, lpa2);
  const startLevel = 4 - Math.floor((inputBits - 4) / STRIDE);
  const levels = 4 - startLevel;
  const rootBits = inputBits - GRANULE_BITS - STRIDE * (levels - 1);
  return { levels, inputBits, outputBits, rootEntries: 2 ** rootBits, startLevel, concatenatedTables: 1, lpa2, maxLeafLevel: lpa2 ? 3 : 2 };
}

/**
 * Stage 2 (paging.md §3.6 SL0 table and concatenation): as KVM, levels = (ipaBits - 8) / 9
 * (integer division, at least 2), so the start level takes up to 4 extra bits by concatenating
 * up to 16 root tables: 40-bit IPA -> start level 1 with 1024 entries (NOVA's Npt), 48 -> level
 * 0, 52 (LPA2) -> level 0 with 16 concatenated tables. Start level 0 (SL0 = 2) needs a PA of at
 * least 44 bits.
 */
export function stage2Geometry(ipaBits: number, outputBits: number, lpa2: boolean): VmsaGeometry {
  check(Number.isInteger(ipaBits) && ipaBits >= 32 && (ipaBits <= 48 || (ipaBits === 52 && lpa2)), `${ipaBits}-bit IPA is outside 32..48${lpa2 ? " or 52 (LPA2)" : ""}`, "ipaBits");
  checkOutput(outputBits, lpa2);
  const levels = Math.max(2, Math.floor((ipaBits - 8) / STRIDE));
  const startLevel = 4 - levels;
  check(startLevel !== 0 || outputBits >= 44, `a ${ipaBits}-bit IPA starts at level 0 (SL0 = 2), which needs at least 44 physical address bits, not ${outputBits}`, "outputBits");
  const rootBits = ipaBits - GRANULE_BITS - STRIDE * (levels - 1);
  const rootEntries = 2 ** rootBits;
  return { levels, inputBits: ipaBits, outputBits, rootEntries, startLevel, concatenatedTables: Math.max(1, rootEntries / 512), lpa2, maxLeafLevel: lpa2 ? 3 : 2 };
}
