import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { parseSdtHeader, SDT_HEADER_LENGTH, type SdtHeader } from "./sdt-header.js";

/** RSDT (32-bit entries) or XSDT (64-bit entries, only 4-byte aligned): platform.md §5.2. */
export interface RootTable {
  readonly header: SdtHeader;
  readonly entries: readonly bigint[];
}

function parseRootTable(bytes: Uint8Array, file: string, signature: "RSDT" | "XSDT", entrySize: 4 | 8): RootTable {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: signature });
  const area = header.length - SDT_HEADER_LENGTH;
  if (area % entrySize !== 0) {
    throw acpiError(
      AcpiDiagnostic.ROOT_TABLE_ENTRIES,
      `${signature}: ${area} entry bytes are not a whole number of ${entrySize}-byte addresses`,
      reader.location(4, "length"),
    );
  }
  const entries: bigint[] = [];
  for (let offset = SDT_HEADER_LENGTH; offset < header.length; offset += entrySize) {
    const field = `entries[${entries.length}]`;
    entries.push(entrySize === 4 ? BigInt(reader.u32(offset, field)) : reader.u64(offset, field));
  }
  return { header, entries };
}

export function parseRsdt(bytes: Uint8Array, file: string): RootTable {
  return parseRootTable(bytes, file, "RSDT", 4);
}

export function parseXsdt(bytes: Uint8Array, file: string): RootTable {
  return parseRootTable(bytes, file, "XSDT", 8);
}
