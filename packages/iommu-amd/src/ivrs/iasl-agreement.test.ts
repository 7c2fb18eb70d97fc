import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareWithIasl } from "./compare-with-iasl.js";
import { parseIaslListing } from "./iasl-listing.js";
import { parseIvrs } from "./parse-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));
const TABLES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".ivrs.bin"))
  .sort();

/**
 * Our decode of the 40 real IVRS tables against ACPICA's field-by-field listing of the same
 * bytes (fixtures/ivrs/*.iasl.txt, from the linuxhw/ACPI dumps; several iasl versions). Every
 * field line iasl prints must equal ours; every block and entry of ours must be printed, except
 * inside blocks that iasl version reports as "Unknown IVRS subtable type" (pre-2019 ACPICA knew
 * only 10h, so its listings stop at the 11h/40h headers; no version decodes 51h).
 */
describe("IVRS decode agrees with iasl on real tables", () => {
  it("has the 40 tables of the manifest", () => {
    const manifest = JSON.parse(readFileSync(`${FIXTURES}MANIFEST.json`, "utf8")) as { file: string; bytes: number }[];
    expect(TABLES).toHaveLength(40);
    expect(manifest.map((entry) => `${entry.file}.ivrs.bin`).sort()).toEqual(TABLES);
    for (const entry of manifest) expect(readFileSync(`${FIXTURES}${entry.file}.ivrs.bin`).length).toBe(entry.bytes);
  });

  it("agrees on every field and every subtable iasl prints", () => {
    let fields = 0;
    let bits = 0;
    let objects = 0;
    const disagreements: string[] = [];
    for (const name of TABLES) {
      const ivrs = parseIvrs(new Uint8Array(readFileSync(FIXTURES + name)), name);
      const listing = parseIaslListing(readFileSync(FIXTURES + name.replace(".ivrs.bin", ".iasl.txt"), "utf8"));
      const result = compareWithIasl(ivrs, listing);
      disagreements.push(...result.mismatches.map((line) => `${name}: ${line}`));
      // a listing the reader could not parse must not pass: the 48-byte header alone is 11 fields
      expect(result.fieldsCompared, name).toBeGreaterThan(11 + 4);
      expect(result.objectsPrinted, name).toBeGreaterThanOrEqual(result.objectsRequired);
      fields += result.fieldsCompared;
      bits += result.bitsCompared;
      objects += result.objectsPrinted;
    }
    console.info(`iasl agreement: ${TABLES.length} tables, ${fields} fields, ${bits} bit fields, ${objects} subtables/entries`);
    expect(disagreements).toEqual([]);
    expect(fields).toBeGreaterThan(4000);
  });
});

describe("compareWithIasl", () => {
  const name = TABLES.find((candidate) => candidate.startsWith("Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3"))!;
  const bytes = new Uint8Array(readFileSync(FIXTURES + name));
  const text = readFileSync(FIXTURES + name.replace(".ivrs.bin", ".iasl.txt"), "utf8");

  it("notices a value that differs", () => {
    const ivrs = parseIvrs(bytes, name);
    const block = ivrs.blocks[0]!;
    if (block.kind !== "ivhd") throw new Error("not an IVHD");
    const changed = { ...ivrs, blocks: [{ ...block, entries: block.entries.map((entry, index) => (index === 0 && entry.kind !== "unknown" ? { ...entry, deviceId: entry.deviceId + 1 } : entry)) }, ...ivrs.blocks.slice(1)] };
    const result = compareWithIasl(changed, parseIaslListing(text));
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]).toMatch(/Device ID: iasl 0008, ours 9/);
  });

  it("notices a device entry iasl printed that our decode lacks, and one of ours iasl lacks", () => {
    const ivrs = parseIvrs(bytes, name);
    const block = ivrs.blocks[0]!;
    if (block.kind !== "ivhd") throw new Error("not an IVHD");
    const fewer = { ...ivrs, blocks: [{ ...block, entries: block.entries.slice(1) }, ...ivrs.blocks.slice(1)] };
    expect(compareWithIasl(fewer, parseIaslListing(text)).mismatches.some((line) => line.includes("no field of ours"))).toBe(true);
    const listing = parseIaslListing(text);
    const firstEntry = block.entries[0]!.offset;
    const without = { ...listing, fields: listing.fields.filter((line) => line.offset < firstEntry || line.offset >= firstEntry + 4) };
    expect(compareWithIasl(ivrs, without).mismatches).toEqual([`object at ${firstEntry.toString(16)}h (in block 10h at 30h) is not in the iasl listing`]);
  });

  it("checks the decoded bits under a (decoded below) field", () => {
    const listing = parseIaslListing(text);
    const flags = listing.fields.find((line) => line.offset === 0x31)!;
    expect(flags.bits).toMatchObject({ HtTunEn: 0, Coherent: 1, "PPR Support": 1 });
    const wrong = { ...listing, fields: listing.fields.map((line) => (line === flags ? { ...line, bits: { ...line.bits, Coherent: 0 } } : line)) };
    expect(compareWithIasl(parseIvrs(bytes, name), wrong).mismatches).toEqual([expect.stringContaining("bit field Coherent iasl 0, ours 1")]);
  });
});
