import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { AcpiTableSet, type RawAcpiTable } from "./acpi-table-set.js";

/**
 * The text format of ACPICA's `acpidump` (the files in data/acpi/acpidump): a heading
 * `SIG @ 0xADDRESS` per table, then hex lines `    OFFSET: xx xx ... xx  ascii`, 16 bytes per
 * line, then a blank line. Only the hex bytes are read; the ASCII column is ignored because it can
 * itself look like hex.
 */
const HEADING = /^(\S(?:.*\S)?)\s+@\s+0x([0-9A-Fa-f]{1,16})\s*$/;
const HEX_LINE = /^\s+([0-9A-Fa-f]{4,8}):\s((?:[0-9A-Fa-f]{2} ){0,15}[0-9A-Fa-f]{2})(?:\s{2}.*)?\s*$/;

/** Split acpidump text into raw tables (no validation beyond the text syntax). */
export function splitAcpidumpText(text: string, fileName: string): RawAcpiTable[] {
  const tables: RawAcpiTable[] = [];
  let current: { label: string; address: bigint; line: number; bytes: number[] } | undefined;
  const finish = (): void => {
    if (current === undefined) return;
    tables.push({
      label: current.label,
      address: current.address,
      bytes: Uint8Array.from(current.bytes),
      source: `${fileName} line ${current.line} (${current.label})`,
    });
    current = undefined;
  };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const lineNumber = index + 1;
    if (line.trim() === "") continue;
    const heading = HEADING.exec(line);
    if (heading !== null && !/^\s/.test(line)) {
      finish();
      current = { label: heading[1] ?? "", address: BigInt(`0x${heading[2] ?? "0"}`), line: lineNumber, bytes: [] };
      continue;
    }
    const hexLine = HEX_LINE.exec(line);
    if (hexLine === null || current === undefined) {
      throw acpiError(
        AcpiDiagnostic.DUMP_SYNTAX,
        current === undefined
          ? `line ${lineNumber} comes before any "SIG @ 0xADDRESS" heading`
          : `line ${lineNumber} is neither a "SIG @ 0xADDRESS" heading nor an "OFFSET: xx xx ..." hex line`,
        { file: fileName, field: `line ${lineNumber}` },
      );
    }
    const offset = Number.parseInt(hexLine[1] ?? "", 16);
    if (offset !== current.bytes.length) {
      throw acpiError(
        AcpiDiagnostic.DUMP_OFFSET,
        `line ${lineNumber}: offset 0x${offset.toString(16)} does not continue ${current.label} at 0x${current.bytes.length.toString(16)}`,
        { file: fileName, offset: current.bytes.length, field: `line ${lineNumber}` },
      );
    }
    for (const pair of (hexLine[2] ?? "").split(" ")) current.bytes.push(Number.parseInt(pair, 16));
  }
  finish();
  return tables;
}

/** Parse a whole acpidump text output into a validated table set. */
export function parseAcpidumpText(text: string, fileName: string): AcpiTableSet {
  return AcpiTableSet.fromRaw(splitAcpidumpText(text, fileName), fileName);
}
