import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RSDP_SIGNATURE, readFirmwareTables } from "@novakit/arch-x86_64";
import { compareWithIasl, type TableComparison } from "./compare-with-iasl.js";
import { COMPARED_SIGNATURES, decodeTable } from "./decoded-fields.js";
import { parseDslFields } from "./dsl-listing.js";
import type { IaslWorkspace } from "./iasl-tool.js";
import { compareRsdpByCompiling } from "./rsdp-round-trip.js";

/** The fixtures the package ships (project paths, resolved from this file). */
const FIXTURES = fileURLToPath(new URL("../../packages/arch-x86_64/fixtures/", import.meta.url));
export const QEMU_TABLE_FOLDER = `${FIXTURES}qemu-q35-amd-iommu`;
export const ACPIDUMP_FOLDER = `${FIXTURES}acpidump`;

export interface InteropInput {
  /** short name for messages and the summary */
  readonly name: string;
  /** path given to readFirmwareTables */
  readonly path: string;
}

export function fixtureInputs(): InteropInput[] {
  const dumps = readdirSync(ACPIDUMP_FOLDER)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => ({ name: name.replace(/\.acpidump\.txt$/, ""), path: `${ACPIDUMP_FOLDER}/${name}` }));
  return [{ name: "qemu-q35-amd-iommu", path: QEMU_TABLE_FOLDER }, ...dumps];
}

/** One table to compare: its signature, where it came from, its bytes. */
export interface TableUnderTest {
  readonly signature: string;
  readonly source: string;
  readonly bytes: Uint8Array;
}

/** The tables of the kinds Novakit parses, read with Novakit's own reader (which validates them). */
export function tablesOf(input: InteropInput): TableUnderTest[] {
  const set = readFirmwareTables(input.path);
  return set.tables
    .filter((table) => table.signature === RSDP_SIGNATURE || COMPARED_SIGNATURES.includes(table.signature))
    .map((table) => ({ signature: table.signature, source: set.sourceOf(table), bytes: table.bytes }));
}

/**
 * An extra input beyond the fixtures: iasl's own templates (`iasl -T SIG`, compiled by iasl).
 * They hold what the fixtures lack (XSDT, an ACPI 2.0 RSDP, MADT NMI source, LAPIC address
 * override, x2APIC and x2APIC NMI subtables, and subtable types we do not decode).
 */
export const TEMPLATE_INPUT_NAME = "iasl-templates";
const TEMPLATE_SIGNATURES: readonly string[] = ["APIC", "MCFG", "HPET", "FACP", "FACS", "TPM2", "RSDT", "XSDT", "RSDP"];

export function templateTables(workspace: IaslWorkspace): TableUnderTest[] {
  return TEMPLATE_SIGNATURES.map((signature) => ({
    signature: signature === "RSDP" ? RSDP_SIGNATURE : signature,
    source: `iasl -T ${signature}`,
    bytes: workspace.templateTable(signature),
  }));
}

/** Disassemble (or, for the RSDP, compile) each table with iasl and compare it with our decode. */
export function compareTables(inputName: string, tables: readonly TableUnderTest[], workspace: IaslWorkspace): TableComparison[] {
  return tables.map((table) => {
    if (table.signature === RSDP_SIGNATURE) return compareRsdpByCompiling(inputName, table.source, table.bytes, workspace);
    const decoded = decodeTable(table.signature, table.bytes, table.source);
    const listing = parseDslFields(workspace.disassemble(table.bytes, `${inputName}-${table.signature}`));
    return compareWithIasl(inputName, table.source, decoded, listing);
  });
}

/** One line per input for the console: tables and fields compared, per table. */
export function summarize(inputName: string, results: readonly TableComparison[]): string {
  const total = results.reduce((sum, result) => sum + result.fieldsCompared, 0);
  const perTable = results.map((result) => `${result.signature} ${result.fieldsCompared}`).join(", ");
  const notPrinted = results.flatMap((result) => result.notPrintedByIasl);
  return (
    `[iasl interop] ${inputName}: ${results.length} tables, ${total} fields compared (${perTable})` +
    (notPrinted.length > 0 ? `; not printed by iasl: ${notPrinted.join(", ")}` : "")
  );
}
