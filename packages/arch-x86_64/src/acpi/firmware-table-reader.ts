import { readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { basename, extname, join } from "node:path";
import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { parseAcpidumpText } from "./acpidump-text.js";
import { AcpiTableSet, type RawAcpiTable } from "./acpi-table-set.js";
import { RSDP_SIGNATURE } from "./rsdp.js";

/**
 * Reads firmware tables from:
 *  - an `acpidump` text file (detected by its "SIG @ 0x..." heading),
 *  - a single raw table file (any name),
 *  - a folder of raw tables (`*.bin`, `*.dat`, read in name order). A folder may hold an
 *    `addresses.json` manifest `{ "APIC.bin": "0x1FFE22CC", ... }` giving each table's physical
 *    address; without it, addresses are 0 unless a pointer proves them.
 */
export function readFirmwareTables(path: string): AcpiTableSet {
  const stats = statOrThrow(path);
  if (stats.isDirectory()) return readTableFolder(path);
  const bytes = readOrThrow(path);
  if (looksLikeAcpidump(bytes)) return parseAcpidumpText(new TextDecoder().decode(bytes), path);
  return AcpiTableSet.fromRaw([{ label: signatureOf(bytes), address: 0n, bytes, source: path }], path);
}

function readTableFolder(folder: string): AcpiTableSet {
  const names = listOrThrow(folder)
    .filter((name) => [".bin", ".dat"].includes(extname(name).toLowerCase()))
    .sort();
  const addresses = readAddressManifest(folder);
  const raw: RawAcpiTable[] = names.map((name) => {
    const path = join(folder, name);
    const bytes = readOrThrow(path);
    return { label: signatureOf(bytes), address: addresses.get(name) ?? 0n, bytes, source: path };
  });
  for (const name of addresses.keys()) {
    if (!names.includes(name)) {
      throw acpiError(AcpiDiagnostic.ADDRESS_MANIFEST, `addresses.json names ${name}, which is not in the folder`, {
        file: join(folder, "addresses.json"),
        field: name,
      });
    }
  }
  return AcpiTableSet.fromRaw(raw, folder);
}

function readAddressManifest(folder: string): ReadonlyMap<string, bigint> {
  const path = join(folder, "addresses.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return new Map();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw acpiError(AcpiDiagnostic.ADDRESS_MANIFEST, `addresses.json is not valid JSON: ${String(error)}`, { file: path });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw acpiError(AcpiDiagnostic.ADDRESS_MANIFEST, "addresses.json must be an object of file name -> \"0x...\"", { file: path });
  }
  const result = new Map<string, bigint>();
  for (const [name, value] of Object.entries(parsed)) {
    if (name.startsWith("$")) continue; // "$comment" and the like
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{1,16}$/.test(value)) {
      throw acpiError(AcpiDiagnostic.ADDRESS_MANIFEST, `address of ${name} must be a "0x..." string`, { file: path, field: name });
    }
    result.set(name, BigInt(value));
  }
  return result;
}

function looksLikeAcpidump(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return /^\s*\S[^\n]*\s@\s+0x[0-9A-Fa-f]+\s*\r?\n/.test(head);
}

/** label of a raw table: its own signature (8 bytes for the RSDP, 4 for the rest) */
function signatureOf(bytes: Uint8Array): string {
  const eight = String.fromCharCode(...bytes.subarray(0, 8));
  if (eight === RSDP_SIGNATURE) return RSDP_SIGNATURE;
  return String.fromCharCode(...bytes.subarray(0, 4));
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw acpiError(AcpiDiagnostic.UNREADABLE, `cannot read firmware tables at ${path}: ${describe(error)}`, { file: path });
  }
}

function readOrThrow(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw acpiError(AcpiDiagnostic.UNREADABLE, `cannot read ${basename(path)}: ${describe(error)}`, { file: path });
  }
}

function listOrThrow(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (error) {
    throw acpiError(AcpiDiagnostic.UNREADABLE, `cannot list ${folder}: ${describe(error)}`, { file: folder });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
