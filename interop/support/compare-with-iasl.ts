import { madtScope, type DecodedField, type DecodedTable } from "./decoded-fields.js";
import { describeDslValue, type DslField } from "./dsl-listing.js";
import { ANY_MADT_SUBTABLE, baseFieldName, ELEMENT_OPENERS, GAS_CONTAINERS, GAS_FIELDS, namesOf, SCOPE_FIELDS } from "./iasl-field-map.js";

/** The outcome of setting one Novakit decode beside one iasl listing. */
export interface TableComparison {
  readonly input: string;
  readonly signature: string;
  readonly source: string;
  /** field pairs whose values were compared (equal or not) */
  readonly fieldsCompared: number;
  /** disagreements; each names the input, the table, the offset and both values */
  readonly mismatches: readonly string[];
  /**
   * our fields at an offset where iasl prints a field under a name the map does not pair with
   * ours (a different reading of the layout); reported separately so that the test can list
   * the expected ones explicitly
   */
  readonly namedDifferently: readonly string[];
  /** our fields iasl prints nothing at all for (e.g. beyond what its layout covers) */
  readonly notPrintedByIasl: readonly string[];
  /** iasl lines our parsers do not decode (Reserved, C2 Latency, ...) */
  readonly unmappedIaslLines: number;
}

interface OpenGas {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

function hex(offset: number): string {
  return `0x${offset.toString(16).toUpperCase().padStart(3, "0")}`;
}

function describeOurs(value: bigint | string): string {
  return typeof value === "string" ? JSON.stringify(value) : `0x${value.toString(16).toUpperCase()}`;
}

function sameValue(ours: bigint | string, iasl: DslField["value"]): boolean {
  if (typeof ours === "string") return iasl.kind === "string" && iasl.value === ours;
  return iasl.kind === "integer" && iasl.value === ours;
}

/**
 * Compares field by field (see iasl-field-map.ts for how a .dsl line finds our field):
 *  - every mapped iasl line must have our field at the same offset, with the same value;
 *  - every repeated element iasl prints (MADT subtables, MCFG allocations, RSDT/XSDT entries)
 *    must be in our decode: the counts are equal;
 *  - each of our fields iasl shows under another name is listed in `namedDifferently`.
 */
export function compareWithIasl(input: string, source: string, decoded: DecodedTable, listing: readonly DslField[]): TableComparison {
  const { signature } = decoded;
  const where = `${input}: ${signature} (${source})`;
  const hasSdtHeader = signature !== "FACS";
  const mismatches: string[] = [];
  const matched = new Set<DecodedField>();
  let fieldsCompared = 0;
  let unmappedIaslLines = 0;
  let subtable: { readonly type: number; readonly start: number } | undefined;
  let gas: OpenGas | undefined;

  if (listing.length === 0) mismatches.push(`${where}: iasl printed no field lines at all`);

  for (const line of listing) {
    if (gas !== undefined && (line.offset < gas.start || line.offset >= gas.end)) gas = undefined;
    if (line.value.kind === "structure") {
      if (line.value.value === "Generic Address Structure") gas = { name: line.name, start: line.offset, end: line.offset + line.length };
      continue;
    }
    if (signature === "APIC" && line.name === "Subtable Type" && line.value.kind === "integer") {
      subtable = { type: Number(line.value.value), start: line.offset };
    }

    let scope: string;
    let wanted: readonly string[];
    if (gas !== undefined) {
      scope = signature;
      const container = GAS_CONTAINERS[signature]?.[gas.name];
      const member = GAS_FIELDS[line.name];
      wanted = container !== undefined && member !== undefined ? [`${container}.${member}`] : [];
    } else {
      scope = hasSdtHeader && line.offset < 36 ? "header" : subtable !== undefined ? madtScope(subtable.type) : signature;
      const name = baseFieldName(line.name);
      const common = subtable !== undefined ? ANY_MADT_SUBTABLE[name] : undefined;
      const commonHere = common !== undefined && subtable !== undefined && line.offset === subtable.start + common.at;
      wanted = [...namesOf(SCOPE_FIELDS[scope]?.[name]), ...(commonHere ? [common.field] : [])];
    }
    if (wanted.length === 0) {
      unmappedIaslLines += 1;
      continue;
    }
    const ours = decoded.fields.filter((field) => field.scope === scope && field.offset === line.offset && wanted.includes(field.field));
    if (ours.length === 0) {
      mismatches.push(
        `${where} offset ${hex(line.offset)} (${line.offset}): iasl prints "${line.name}" = ${describeDslValue(line.value)} ` +
          `(.dsl line ${line.line}) but Novakit's decode has no ${wanted.join(" / ")} there`,
      );
      continue;
    }
    for (const field of ours) {
      matched.add(field);
      fieldsCompared += 1;
      if (!sameValue(field.value, line.value)) {
        mismatches.push(
          `${where} offset ${hex(line.offset)} (${line.offset}) ${field.path}: Novakit ${describeOurs(field.value)}, ` +
            `iasl "${line.name}" ${describeDslValue(line.value)} (.dsl line ${line.line}: ${line.text.trim()})`,
        );
      }
    }
  }

  const opener = ELEMENT_OPENERS[signature];
  if (opener !== undefined) {
    const iaslCount = listing.filter((line) => baseFieldName(line.name) === opener.iaslName && line.value.kind === "integer").length;
    const ourCount = decoded.elementCounts[opener.ours] ?? 0;
    if (iaslCount !== ourCount) {
      mismatches.push(`${where}: iasl prints ${iaslCount} "${opener.iaslName}" element(s), Novakit's ${opener.ours} has ${ourCount}`);
    }
  }

  const namedDifferently: string[] = [];
  const notPrintedByIasl: string[] = [];
  for (const field of decoded.fields) {
    if (matched.has(field)) continue;
    const there = listing.filter((line) => line.offset === field.offset && line.value.kind !== "structure");
    if (there.length === 0) {
      notPrintedByIasl.push(`${signature} ${field.path} @${hex(field.offset)}`);
    } else {
      namedDifferently.push(
        `${where} offset ${hex(field.offset)} (${field.offset}): Novakit decodes ${field.path} = ${describeOurs(field.value)}, ` +
          `iasl prints ${there.map((line) => `"${line.name}" = ${describeDslValue(line.value)}`).join(", ")}`,
      );
    }
  }

  return { input, signature, source, fieldsCompared, mismatches, namedDifferently, notPrintedByIasl, unmappedIaslLines };
}
