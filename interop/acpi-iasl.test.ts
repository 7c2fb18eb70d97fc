import { afterAll, describe, expect, it } from "vitest";
import { compareWithIasl, type TableComparison } from "./support/compare-with-iasl.js";
import { decodeTable, type DecodedTable } from "./support/decoded-fields.js";
import { parseDslFields } from "./support/dsl-listing.js";
import { IaslWorkspace, iaslVersion } from "./support/iasl-tool.js";
import {
  compareTables,
  fixtureInputs,
  QEMU_TABLE_FOLDER,
  summarize,
  tablesOf,
  templateTables,
  TEMPLATE_INPUT_NAME,
  type TableUnderTest,
} from "./support/interop-inputs.js";

/**
 * Novakit's ACPI parsers against ACPICA's disassembler: every APIC, MCFG, HPET, FACP, FACS, TPM2,
 * RSDT and XSDT of the shipped fixtures goes through `iasl -d`, and each field iasl prints that
 * Novakit also decodes must hold the same value (support/iasl-field-map.ts pairs the names).
 * The RSDP, which iasl cannot disassemble, is rebuilt by iasl's compiler from our decode and must
 * come out byte-identical (support/rsdp-round-trip.ts).
 */

/** Minimum fields compared per table, so that a listing the reader fails to parse cannot pass. */
const MINIMUM_FIELDS: Readonly<Record<string, number>> = {
  APIC: 40,
  FACP: 40,
  HPET: 14,
  MCFG: 13,
  FACS: 6,
  TPM2: 11,
  RSDT: 10,
  XSDT: 10,
  RSDP: 5,
};

/** The tables each input holds of the kinds we parse; a reader that drops one fails here. */
const EXPECTED_TABLES: Readonly<Record<string, readonly string[]>> = {
  "qemu-q35-amd-iommu": ["APIC", "FACP", "HPET", "MCFG", "RSDP", "RSDT"],
  "Desktop-ASRock-970M-970M-Pro3-75A2DB3F503A": ["APIC", "FACP", "FACS", "HPET", "MCFG"],
  "Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744": ["APIC", "FACP", "FACS", "HPET", "MCFG", "TPM2"],
  "Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69": ["APIC", "FACP", "FACS", "HPET", "MCFG", "TPM2"],
  [TEMPLATE_INPUT_NAME]: ["APIC", "FACP", "FACS", "HPET", "MCFG", "RSDP", "RSDT", "TPM2", "XSDT"],
};

/** Run `compute` on the first call and hand out its result (or rethrow its error) afterwards. */
function once<T>(compute: () => T): () => T {
  let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown } | undefined;
  return () => {
    if (outcome === undefined) {
      try {
        outcome = { ok: true, value: compute() };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
}

function signatureOf(table: TableUnderTest): string {
  return table.signature === "RSD PTR " ? "RSDP" : table.signature;
}

function lines(items: readonly string[]): string {
  return items.map((item) => `  ${item}`).join("\n");
}

interface InputUnderTest {
  readonly name: string;
  readonly load: (workspace: IaslWorkspace) => TableUnderTest[];
}

const INPUTS: readonly InputUnderTest[] = [
  ...fixtureInputs().map((input) => ({ name: input.name, load: () => tablesOf(input) })),
  { name: TEMPLATE_INPUT_NAME, load: (workspace: IaslWorkspace) => templateTables(workspace) },
];

describe("iasl", () => {
  it("is installed (Debian package acpica-tools)", () => {
    expect(iaslVersion()).toMatch(/^\d{8}$/);
  });
});

for (const input of INPUTS) {
  describe(`${input.name}: Novakit's ACPI parsers agree with iasl`, () => {
    const workspace = new IaslWorkspace();
    afterAll(() => workspace.dispose());
    // Computed by the first test that needs it, inside that test, so that a missing iasl fails
    // every test with the install hint (a failing beforeAll would only mark them skipped).
    const run = once(() => {
      iaslVersion();
      const tables = input.load(workspace);
      const results = compareTables(input.name, tables, workspace);
      console.log(summarize(input.name, results));
      return { tables, results };
    });

    it("holds the expected tables", () => {
      expect(run().tables.map(signatureOf).sort()).toEqual(EXPECTED_TABLES[input.name]);
    });

    it("every field iasl prints has the value Novakit decoded, and every element is present", () => {
      const mismatches = run().results.flatMap((result) => result.mismatches);
      expect(mismatches, `Novakit and iasl disagree:\n${lines(mismatches)}`).toEqual([]);
    });

    it("iasl reads each field Novakit decodes with the same layout (same field at that offset)", () => {
      const differences = run().results.flatMap((result) => result.namedDifferently);
      expect(
        differences,
        `iasl (ACPICA) reads these offsets as other fields than Novakit does; where the table's revision has no such field, the parser is wrong:\n${lines(differences)}`,
      ).toEqual([]);
    });

    it("compares enough fields per table to mean something", () => {
      for (const result of run().results) {
        expect(result.fieldsCompared, `${result.input}: ${result.signature} fields compared`).toBeGreaterThanOrEqual(
          MINIMUM_FIELDS[result.signature] ?? 1,
        );
      }
    });
  });
}

/** The comparison itself must catch a wrong value, a wrong offset and a missing subtable. */
describe("the iasl comparison is not vacuous", () => {
  const workspace = new IaslWorkspace();
  afterAll(() => workspace.dispose());
  const qemuMadt = once(() => {
    iaslVersion();
    const madt = tablesOf({ name: "qemu-q35-amd-iommu", path: QEMU_TABLE_FOLDER }).find((table) => table.signature === "APIC");
    if (madt === undefined) throw new Error("the QEMU fixture has no APIC table");
    return { madt, listing: parseDslFields(workspace.disassemble(madt.bytes, "self-test-APIC")) };
  });

  function compareTampered(tamper: (decoded: DecodedTable) => DecodedTable): TableComparison {
    const { madt, listing } = qemuMadt();
    return compareWithIasl("self-test", madt.source, tamper(decodeTable("APIC", madt.bytes, madt.source)), listing);
  }

  it("the untampered QEMU MADT agrees on at least 40 fields", () => {
    const result = compareTampered((decoded) => decoded);
    expect(result.mismatches).toEqual([]);
    expect(result.fieldsCompared).toBeGreaterThanOrEqual(40);
  });

  it("reports a wrong APIC id with the offset and both values", () => {
    const result = compareTampered((decoded) => ({
      ...decoded,
      fields: decoded.fields.map((field) => (field.path === "entries[2].apicId" ? { ...field, value: 0x7en } : field)),
    }));
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]).toMatch(/APIC .*offset 0x03F \(63\) entries\[2\]\.apicId: Novakit 0x7E, iasl "Local Apic ID" 0x2/);
  });

  it("reports a field read from the wrong offset", () => {
    const result = compareTampered((decoded) => ({
      ...decoded,
      fields: decoded.fields.map((field) => (field.path === "entries[4].gsiBase" ? { ...field, offset: field.offset + 1 } : field)),
    }));
    expect(result.mismatches.join("\n")).toMatch(/offset 0x054 \(84\): iasl prints "Interrupt" = 0x0 .* no gsiBase there/);
  });

  it("reports a subtable missing from our decode", () => {
    const result = compareTampered((decoded) => ({
      ...decoded,
      fields: decoded.fields.filter((field) => !field.path.startsWith("entries[10].")),
      elementCounts: { entries: (decoded.elementCounts["entries"] ?? 0) - 1 },
    }));
    expect(result.mismatches.join("\n")).toMatch(/iasl prints 11 "Subtable Type" element\(s\), Novakit's entries has 10/);
    expect(result.mismatches.join("\n")).toMatch(/offset 0x08A \(138\): iasl prints "Subtable Type" = 0x4/);
  });
});
