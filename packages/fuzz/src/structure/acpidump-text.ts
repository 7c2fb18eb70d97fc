/**
 * Writing and slicing the text format of ACPICA's `acpidump` (what `acpidump > dump.txt` gives):
 * a heading "SIG @ 0xADDRESS" per table, then "  OFFSET: xx xx … xx  ascii" lines of 16 bytes,
 * then a blank line. The arch-x86_64 importer reads it (acpidump-text.ts there); this side
 * writes it so a structure-aware mutation can change a table's bytes and keep the text valid.
 */
export interface DumpTable {
  readonly label: string;
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

const BYTES_PER_LINE = 16;

export function renderAcpidump(tables: readonly DumpTable[]): string {
  const lines: string[] = [];
  for (const table of tables) {
    lines.push(`${table.label} @ 0x${table.address.toString(16).padStart(16, "0")}`);
    for (let offset = 0; offset < table.bytes.length; offset += BYTES_PER_LINE) {
      const row = table.bytes.subarray(offset, offset + BYTES_PER_LINE);
      const hex = [...row].map((byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join(" ");
      const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".")).join("");
      lines.push(`    ${offset.toString(16).padStart(4, "0").toUpperCase()}: ${hex.padEnd(BYTES_PER_LINE * 3 - 1)}  ${ascii}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

const HEADING = /^(\S(?:.*\S)?)\s+@\s+0x[0-9A-Fa-f]+\s*$/;

/** AML tables are large and NOVA never parses them; leaving them out keeps the seeds small and fast */
const SKIPPED_LABELS: ReadonlySet<string> = new Set(["DSDT", "SSDT"]);
/** tables longer than this many text lines (16 bytes each) are left out of a seed too */
const MAX_TABLE_LINES = 256;

/**
 * A real dump with its AML tables (and any very large table) cut out, the kept blocks verbatim:
 * the seed keeps the vendor's exact text (spacing, ASCII column, addresses) at a size the fuzzer
 * can run thousands of times a second.
 */
export function withoutLargeTables(text: string): string {
  const kept: string[] = [];
  let block: string[] = [];
  let keep = false;
  const flush = (): void => {
    if (keep && block.length <= MAX_TABLE_LINES + 2) kept.push(...block);
    block = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      keep = !SKIPPED_LABELS.has(heading[1] ?? "");
    }
    block.push(line);
  }
  flush();
  return kept.join("\n");
}
