import type { IaslListing } from "./iasl-listing.js";
import { ivrsFields, type IvrsField } from "./ivrs-fields.js";
import type { IvrsTable } from "./ivrs-types.js";

export interface IaslComparison {
  /** iasl field lines checked against our decode (value, width and name) */
  readonly fieldsCompared: number;
  /** "(decoded below)" bit lines checked */
  readonly bitsCompared: number;
  /** blocks and device entries iasl printed; each is one of ours */
  readonly objectsPrinted: number;
  /** blocks and device entries of ours that this iasl version can decode; each must be printed */
  readonly objectsRequired: number;
  /** every disagreement, one line each; empty when the decode agrees */
  readonly mismatches: readonly string[];
}

/**
 * Checks a decode against an iasl listing of the same bytes, in both directions:
 * - every field line iasl prints must be a field of ours at the same offset with the same width,
 *   a name iasl uses for it, and the same value (and the same bits where iasl decodes them);
 * - every block and device entry of ours must be printed by iasl. The one exception is what
 *   that iasl version cannot decode: older ACPICA prints "Unknown IVRS subtable type 0x11"
 *   (or 0x40, 0x51) and skips the block by its length, so its entries cannot appear.
 */
export function compareWithIasl(ivrs: IvrsTable, listing: IaslListing): IaslComparison {
  const mismatches: string[] = [];
  const ours = new Map<number, IvrsField>(ivrsFields(ivrs).map((entry) => [entry.offset, entry]));
  let fieldsCompared = 0;
  let bitsCompared = 0;
  const printedObjects = new Set<number>();
  for (const line of listing.fields) {
    const where = `line ${line.line} [${line.offset.toString(16)}h] ${line.name}`;
    const mine = ours.get(line.offset);
    if (mine === undefined) {
      mismatches.push(`${where}: no field of ours at this offset`);
      continue;
    }
    if (!mine.names.includes(line.name)) mismatches.push(`${where}: our field there is "${mine.names.join('" / "')}"`);
    if (mine.width !== line.width) mismatches.push(`${where}: width ${line.width}, ours ${mine.width}`);
    if (!sameValue(mine.value, line.value)) mismatches.push(`${where}: iasl ${line.value}, ours ${render(mine.value)}`);
    for (const [bit, value] of Object.entries(line.bits)) {
      bitsCompared++;
      if (mine.bits?.[bit] !== value) mismatches.push(`${where}: bit field ${bit} iasl ${value}, ours ${String(mine.bits?.[bit])}`);
    }
    if (mine.startsObject !== undefined) printedObjects.add(line.offset);
    fieldsCompared++;
  }
  let objectsRequired = 0;
  for (const block of ivrs.blocks) {
    const decodable = !listing.undecodedBlockTypes.has(block.type);
    const required = [...(decodable ? [block.offset] : []), ...(decodable && block.kind === "ivhd" ? block.entries.map((entry) => entry.offset) : [])];
    for (const offset of required) {
      objectsRequired++;
      if (!printedObjects.has(offset)) mismatches.push(`object at ${offset.toString(16)}h (in block ${block.type.toString(16)}h at ${block.offset.toString(16)}h) is not in the iasl listing`);
    }
  }
  return { fieldsCompared, bitsCompared, objectsPrinted: printedObjects.size, objectsRequired, mismatches };
}

function sameValue(mine: bigint | string, iasl: string): boolean {
  if (typeof mine === "string") return iasl === `"${mine}"`;
  if (!/^[0-9A-Fa-f]+$/.test(iasl)) return false;
  return BigInt(`0x${iasl}`) === mine;
}

function render(value: bigint | string): string {
  return typeof value === "string" ? `"${value}"` : value.toString(16).toUpperCase();
}
