/**
 * Reads the field lines of an ACPICA disassembly (`iasl -d` .dsl, or the listing part of a
 * linuxhw dump):
 *   [030h 0048   1]                Subtable Type : 10 [Hardware Definition Block]
 *   [031h 0049 001h]       Flags (decoded below) : B0
 *                                        HtTunEn : 0
 * Widths are decimal in older versions and "NNNh" in newer ones. Bit lines that follow a
 * "(decoded below)" field belong to it. "**** Unknown IVRS subtable type 0xNN" notes are kept:
 * they say which block types this iasl could not decode.
 */
export interface IaslFieldLine {
  readonly line: number;
  readonly offset: number;
  readonly width: number;
  readonly name: string;
  /** the value text without iasl's trailing "[...]" comment */
  readonly value: string;
  readonly bits: Readonly<Record<string, number>>;
}

export interface IaslListing {
  readonly fields: readonly IaslFieldLine[];
  /** block types iasl printed "Unknown IVRS subtable type" for */
  readonly undecodedBlockTypes: ReadonlySet<number>;
}

const FIELD_LINE = /^\[([0-9A-Fa-f]+)h ([0-9]+) +([0-9A-Fa-f]+h|[0-9]+)\]\s*(.+?) : (.*)$/;
const BIT_LINE = /^\s+(\S.*?) : ([0-9A-Fa-f]+)\s*$/;
const UNKNOWN_BLOCK = /Unknown IVRS subtable type 0x([0-9A-Fa-f]+)/;

export function parseIaslListing(text: string): IaslListing {
  const fields: { line: number; offset: number; width: number; name: string; value: string; bits: Record<string, number> }[] = [];
  const undecoded = new Set<number>();
  let bitsTarget: Record<string, number> | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const fieldMatch = FIELD_LINE.exec(raw);
    if (fieldMatch !== null) {
      const [, hexOffset, , widthText, rawName, rawValue] = fieldMatch;
      const width = widthText!.endsWith("h") ? Number.parseInt(widthText!.slice(0, -1), 16) : Number.parseInt(widthText!, 10);
      const decodedBelow = rawName!.includes("(decoded below)");
      const bits: Record<string, number> = {};
      fields.push({ line: index + 1, offset: Number.parseInt(hexOffset!, 16), width, name: rawName!.replace("(decoded below)", "").trim(), value: valueText(rawValue!), bits });
      bitsTarget = decodedBelow ? bits : undefined;
      return;
    }
    const unknown = UNKNOWN_BLOCK.exec(raw);
    if (unknown !== null) {
      undecoded.add(Number.parseInt(unknown[1]!, 16));
      bitsTarget = undefined;
      return;
    }
    const bit = BIT_LINE.exec(raw);
    if (bit !== null && bitsTarget !== undefined) {
      bitsTarget[bit[1]!.trim()] = Number.parseInt(bit[2]!, 16);
      return;
    }
    bitsTarget = undefined;
  });
  return { fields, undecodedBlockTypes: undecoded };
}

/** `"IVRS"    [I/O ...]` -> `"IVRS"`; `10 [Hardware ...]` -> `10` */
function valueText(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    return end < 0 ? trimmed : trimmed.slice(0, end + 1);
  }
  return trimmed.split(/\s+/)[0] ?? "";
}
