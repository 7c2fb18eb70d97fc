import { parseRsdp, type Rsdp } from "@novakit/arch-x86_64";
import type { TableComparison } from "./compare-with-iasl.js";
import type { IaslWorkspace } from "./iasl-tool.js";

/**
 * iasl 20200925 cannot disassemble an RSDP: its table loader reads a 36-byte SDT header and
 * rejects the "RSD " signature ("Binary file does not contain a valid ACPI table"; ACPICA
 * acfileio.c notes "Loading an RSDP is not supported"). Its data-table compiler does build
 * RSDPs (`iasl -T RSDP` shows the syntax), so the RSDP is checked the other way round: the fields
 * Novakit decoded are written as iasl source, iasl compiles them (computing both checksums
 * itself), and the bytes must equal the original RSDP. Any field Novakit misread changes the
 * compiled bytes at that field's offset.
 */
interface RsdpField {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  /** the `[nnnn] Name : value` source line for our decoded value */
  readonly source: (rsdp: Rsdp) => string;
  readonly revision2Only: boolean;
}

function hexDigits(value: number | bigint, length: number): string {
  return value.toString(16).toUpperCase().padStart(length * 2, "0");
}

/** RSDP layout (ACPICA actbl.h struct acpi_table_rsdp; iasl's field names from `iasl -T RSDP`). */
const RSDP_FIELDS: readonly RsdpField[] = [
  { name: "Signature", offset: 0, length: 8, source: () => `"RSD PTR "`, revision2Only: false },
  // iasl computes the checksums; the value written here is replaced
  { name: "Checksum", offset: 8, length: 1, source: () => "00", revision2Only: false },
  { name: "Oem ID", offset: 9, length: 6, source: (rsdp) => JSON.stringify(rsdp.oemId), revision2Only: false },
  { name: "Revision", offset: 15, length: 1, source: (rsdp) => hexDigits(rsdp.revision, 1), revision2Only: false },
  { name: "RSDT Address", offset: 16, length: 4, source: (rsdp) => hexDigits(rsdp.rsdtAddress, 4), revision2Only: false },
  { name: "Length", offset: 20, length: 4, source: (rsdp) => hexDigits(rsdp.length ?? 0, 4), revision2Only: true },
  { name: "XSDT Address", offset: 24, length: 8, source: (rsdp) => hexDigits(rsdp.xsdtAddress ?? 0n, 8), revision2Only: true },
  { name: "Extended Checksum", offset: 32, length: 1, source: () => "00", revision2Only: true },
  { name: "Reserved", offset: 33, length: 3, source: () => "000000", revision2Only: true },
];

function byteString(bytes: Uint8Array, offset: number, length: number): string {
  return Array.from(bytes.subarray(offset, offset + length), (byte) => byte.toString(16).toUpperCase().padStart(2, "0")).join(" ");
}

export function compareRsdpByCompiling(input: string, source: string, bytes: Uint8Array, workspace: IaslWorkspace): TableComparison {
  const where = `${input}: RSDP (${source})`;
  const rsdp = parseRsdp(bytes, source);
  const fields = RSDP_FIELDS.filter((field) => rsdp.revision >= 2 || !field.revision2Only);
  const text = fields.map((field) => `[${String(field.length).padStart(4, "0")}] ${field.name} : ${field.source(rsdp)}`).join("\n") + "\n";
  const compiled = workspace.compileDataTable(text, `${input}-RSDP`);

  const mismatches: string[] = [];
  const originalLength = rsdp.length ?? 20;
  if (compiled.length !== originalLength) {
    mismatches.push(`${where}: iasl compiled ${compiled.length} bytes from Novakit's fields, the RSDP has ${originalLength}`);
  }
  for (const field of fields) {
    const ours = byteString(compiled, field.offset, field.length);
    const original = byteString(bytes, field.offset, field.length);
    if (ours !== original) {
      mismatches.push(
        `${where} offset 0x${field.offset.toString(16).toUpperCase().padStart(3, "0")} (${field.offset}) "${field.name}": ` +
          `iasl compiled from Novakit's decode [${ours}], the RSDP holds [${original}] (source line: ${field.name} : ${field.source(rsdp)})`,
      );
    }
  }
  return {
    input,
    signature: "RSDP",
    source,
    fieldsCompared: fields.length,
    mismatches,
    namedDifferently: [],
    notPrintedByIasl: [],
    unmappedIaslLines: 0,
  };
}
