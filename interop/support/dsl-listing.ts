/**
 * Reader for the field lines of an iasl data-table disassembly (`iasl -d X.dat` -> X.dsl):
 *
 *   [02Ch 0044   1]                Subtable Type : 00 [Processor Local APIC]
 *    hex   dec  len                 field name     value [iasl's description]
 *
 * Lines without the bracketed prefix (the "decoded below" bit lines, comments, the raw hex dump)
 * are not fields and are skipped.
 */
export type DslValue =
  | { readonly kind: "integer"; readonly value: bigint }
  | { readonly kind: "string"; readonly value: string }
  /** a sub-structure heading such as "[Generic Address Structure]" */
  | { readonly kind: "structure"; readonly value: string }
  /** anything else (byte lists such as "Method Parameters : 00 00 ..."), kept verbatim */
  | { readonly kind: "raw"; readonly value: string };

export interface DslField {
  readonly offset: number;
  readonly length: number;
  /** the name as iasl prints it, trailing blanks removed */
  readonly name: string;
  readonly value: DslValue;
  /** 1-based line in the .dsl text, for messages */
  readonly line: number;
  /** the line as iasl wrote it */
  readonly text: string;
}

const FIELD_LINE = /^\[([0-9A-Fa-f]{3,})h ([0-9]{4,})\s+([0-9]+)\]\s*(.*?)\s+:\s(.*)$/;

export function parseDslFields(text: string): DslField[] {
  const fields: DslField[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const match = FIELD_LINE.exec(line);
    if (match === null) continue;
    const hexOffset = Number.parseInt(match[1] ?? "", 16);
    const offset = Number.parseInt(match[2] ?? "", 10);
    if (hexOffset !== offset) {
      // iasl prints each offset twice; if they differ, this reader has misread the line
      throw new Error(`.dsl line ${index + 1}: hex offset ${match[1]}h and decimal offset ${match[2]} differ: ${line}`);
    }
    fields.push({
      offset,
      length: Number.parseInt(match[3] ?? "", 10),
      name: (match[4] ?? "").trim(),
      value: parseDslValue((match[5] ?? "").trim()),
      line: index + 1,
      text: line,
    });
  }
  return fields;
}

function parseDslValue(text: string): DslValue {
  const quoted = /^"([^"]*)"/.exec(text);
  if (quoted !== null) return { kind: "string", value: quoted[1] ?? "" };
  const structure = /^\[(.*)\]$/.exec(text);
  if (structure !== null) return { kind: "structure", value: structure[1] ?? "" };
  // an integer is one hex token, optionally followed by iasl's "[description]"
  const integer = /^([0-9A-Fa-f]+)(?:\s+\[.*\])?$/.exec(text);
  if (integer !== null) return { kind: "integer", value: BigInt(`0x${integer[1] ?? "0"}`) };
  return { kind: "raw", value: text };
}

export function describeDslValue(value: DslValue): string {
  switch (value.kind) {
    case "integer":
      return `0x${value.value.toString(16).toUpperCase()}`;
    case "string":
      return JSON.stringify(value.value);
    case "structure":
      return `[${value.value}]`;
    case "raw":
      return value.value;
  }
}
