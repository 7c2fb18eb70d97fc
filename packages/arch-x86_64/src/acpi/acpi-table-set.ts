import type { FirmwareTable } from "@novakit/kernel-core";
import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { parseFacs } from "./facs.js";
import { parseFadt } from "./fadt.js";
import { parseRsdp, rootTableOf, RSDP_SIGNATURE, RSDP_V1_LENGTH, type Rsdp } from "./rsdp.js";
import { parseSdtHeader } from "./sdt-header.js";

/** One table as an input reader found it, before validation. */
export interface RawAcpiTable {
  /** the name it was filed under ("APIC", "RSD PTR"); checked against the bytes */
  readonly label: string;
  /** physical address when the input records it, else 0n */
  readonly address: bigint;
  readonly bytes: Uint8Array;
  /** where it came from, for messages: "dump.txt line 388", "tables/APIC.bin" */
  readonly source: string;
}

/** Tables a platform has at most one of; a second copy is an input error (NK-ACPI-023). */
const UNIQUE_SIGNATURES: ReadonlySet<string> = new Set([RSDP_SIGNATURE, "RSDT", "XSDT", "FACP", "FACS", "DSDT", "APIC", "MCFG", "TPM2"]);

/**
 * A validated set of ACPI tables: every SDT header and checksum checked, the RSDP checked,
 * FACS length checked. Tables NOVA does not parse are kept with their header and bytes.
 * Addresses the input did not record are filled in where a pointer proves them (RSDP -> RSDT/XSDT,
 * FADT -> FACS/DSDT). The IOMMU plugin rebuilds one from `platform.firmware.tables` with
 * `AcpiTableSet.fromFirmwareTables` to parse IVRS itself.
 */
export class AcpiTableSet {
  private constructor(
    readonly tables: readonly FirmwareTable[],
    private readonly sources: ReadonlyMap<FirmwareTable, string>,
    readonly rsdp: Rsdp | undefined,
    /** the input this set was read from */
    readonly origin: string,
  ) {}

  static fromRaw(raw: readonly RawAcpiTable[], origin: string): AcpiTableSet {
    if (raw.length === 0) {
      throw acpiError(AcpiDiagnostic.NO_TABLES, `no ACPI tables found in ${origin}`, { file: origin });
    }
    const validated: { table: FirmwareTable; source: string }[] = [];
    let rsdp: Rsdp | undefined;
    for (const item of raw) {
      const table = validateTable(item);
      if (table.signature === RSDP_SIGNATURE) rsdp = parseRsdp(item.bytes, item.source);
      validated.push({ table, source: item.source });
    }
    rejectDuplicates(validated);
    const resolved = resolveAddresses(validated, rsdp);
    return new AcpiTableSet(
      resolved.map((entry) => entry.table),
      new Map(resolved.map((entry) => [entry.table, entry.source])),
      rsdp,
      origin,
    );
  }

  /** Re-validate tables carried by a Platform (e.g. for an IOMMU plugin). */
  static fromFirmwareTables(tables: readonly FirmwareTable[], origin = "platform.firmware.tables"): AcpiTableSet {
    return AcpiTableSet.fromRaw(
      tables.map((table, index) => ({
        label: table.signature,
        address: table.address,
        bytes: table.bytes,
        source: `${origin}[${index}] ${table.signature.trim()}`,
      })),
      origin,
    );
  }

  /** first table with this signature ("APIC", "FACP", "RSD PTR ") */
  find(signature: string): FirmwareTable | undefined {
    return this.tables.find((table) => table.signature === signature);
  }

  findAll(signature: string): readonly FirmwareTable[] {
    return this.tables.filter((table) => table.signature === signature);
  }

  has(signature: string): boolean {
    return this.find(signature) !== undefined;
  }

  /** the table or NK-ACPI-022 naming what is missing */
  require(signature: string, why: string): FirmwareTable {
    const table = this.find(signature);
    if (table === undefined) {
      throw acpiError(AcpiDiagnostic.MISSING_TABLE, `${this.origin} has no ${signature} table, which ${why}`, { file: this.origin, field: signature });
    }
    return table;
  }

  /** file name / location of a table for error messages */
  sourceOf(table: FirmwareTable): string {
    return this.sources.get(table) ?? this.origin;
  }

  /** RSDP physical address when the input recorded it */
  get rsdpAddress(): bigint | undefined {
    const table = this.find(RSDP_SIGNATURE);
    return table === undefined || table.address === 0n ? undefined : table.address;
  }

  /** which root table NOVA would follow (XSDT when revision >= 2 and non-zero), if an RSDP exists */
  get rootTable(): "RSDT" | "XSDT" | undefined {
    return this.rsdp === undefined ? undefined : rootTableOf(this.rsdp).signature;
  }
}

function validateTable(item: RawAcpiTable): FirmwareTable {
  const label = item.label.trim();
  if (label === RSDP_SIGNATURE.trim() || label === "RSDP") {
    const rsdp = parseRsdp(item.bytes, item.source);
    const length = rsdp.length ?? RSDP_V1_LENGTH;
    expectExactLength(item, length, "RSDP");
    return {
      signature: RSDP_SIGNATURE,
      address: item.address,
      length,
      revision: rsdp.revision,
      oemId: rsdp.oemId,
      oemTableId: "",
      bytes: item.bytes,
    };
  }
  if (label === "FACS") {
    const facs = parseFacs(item.bytes, item.source);
    expectExactLength(item, facs.length, "FACS");
    return { signature: "FACS", address: item.address, length: facs.length, revision: facs.version, oemId: "", oemTableId: "", bytes: item.bytes };
  }
  const { header } = parseSdtHeader(item.bytes, { file: item.source });
  if (header.signature.trim() !== label) {
    throw acpiError(
      AcpiDiagnostic.SIGNATURE_MISMATCH,
      `table filed as "${label}" has signature "${header.signature}"`,
      { file: item.source, offset: 0, field: `${label}.signature` },
    );
  }
  expectExactLength(item, header.length, header.signature);
  return {
    signature: header.signature,
    address: item.address,
    length: header.length,
    revision: header.revision,
    oemId: header.oemId,
    oemTableId: header.oemTableId,
    bytes: item.bytes,
  };
}

function expectExactLength(item: RawAcpiTable, length: number, signature: string): void {
  if (item.bytes.length !== length) {
    throw acpiError(
      AcpiDiagnostic.DUMP_LENGTH_MISMATCH,
      `${signature.trim()}: the input holds ${item.bytes.length} bytes but the table's length field says ${length}`,
      { file: item.source, offset: 4, field: `${signature.trim()}.length` },
      "the dump is truncated or has trailing bytes",
    );
  }
}

function rejectDuplicates(tables: readonly { table: FirmwareTable; source: string }[]): void {
  const seen = new Map<string, string>();
  for (const { table, source } of tables) {
    if (!UNIQUE_SIGNATURES.has(table.signature)) continue;
    const first = seen.get(table.signature);
    if (first !== undefined) {
      throw acpiError(
        AcpiDiagnostic.DUPLICATE_TABLE,
        `${table.signature.trim()} appears twice (first in ${first})`,
        { file: source, field: table.signature.trim() },
      );
    }
    seen.set(table.signature, source);
  }
}

/** Fill addresses that pointers prove: RSDP -> root table, FADT -> FACS and DSDT. */
function resolveAddresses(
  tables: readonly { table: FirmwareTable; source: string }[],
  rsdp: Rsdp | undefined,
): readonly { table: FirmwareTable; source: string }[] {
  const proven = new Map<string, bigint>();
  if (rsdp !== undefined) {
    proven.set("RSDT", rsdp.rsdtAddress);
    if (rsdp.xsdtAddress !== undefined) proven.set("XSDT", rsdp.xsdtAddress);
  }
  const fadtEntry = tables.find((entry) => entry.table.signature === "FACP");
  if (fadtEntry !== undefined) {
    const fadt = parseFadt(fadtEntry.table.bytes, fadtEntry.source);
    proven.set("FACS", fadt.facsAddress);
    proven.set("DSDT", fadt.dsdtAddress);
  }
  return tables.map((entry) => {
    const address = proven.get(entry.table.signature);
    if (entry.table.address !== 0n || address === undefined || address === 0n) return entry;
    return { table: { ...entry.table, address }, source: entry.source };
  });
}
