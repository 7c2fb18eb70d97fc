import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareWithIasl, parseIaslListing, parseIvrs } from "@novakit/iommu-amd";
import { afterAll, describe, expect, it } from "vitest";
import { IaslWorkspace } from "./support/iasl-tool.js";

/**
 * The AI host's IVRS is derived, not dumped (packages/arch-x86_64/fixtures/
 * qemu-q35-amd-iommu-ai-host): ACPICA must decode it cleanly, print one SELECT per PCI function of
 * the profile (q35's six plus the accelerators, NICs and NVMe at 00:03.0-00:07.0) and the IOAPIC
 * special entry, and compile its own disassembly back to our bytes (apart from the compiler id
 * iasl writes into the header, and so the checksum).
 */
const IVRS_PATH = fileURLToPath(new URL("../packages/arch-x86_64/fixtures/qemu-q35-amd-iommu-ai-host/IVRS.bin", import.meta.url));
/** SDT header bytes iasl rewrites when compiling: checksum (9) and Asl Compiler ID/Revision (28..35) */
const IASL_HEADER_BYTES = new Set([9, 28, 29, 30, 31, 32, 33, 34, 35]);

describe("the AI host's derived IVRS, through iasl", () => {
  const workspace = new IaslWorkspace();
  afterAll(() => workspace.dispose());
  const bytes = new Uint8Array(readFileSync(IVRS_PATH));

  it("iasl -d decodes it without errors, field for field as our parser does", () => {
    const dsl = workspace.disassemble(bytes, "ai-host-ivrs");
    expect(dsl).not.toMatch(/\*\*\*\* (ACPI )?(Error|Unknown)/i);
    const ivrs = parseIvrs(bytes, "ai-host IVRS");
    const result = compareWithIasl(ivrs, parseIaslListing(dsl));
    expect(result.mismatches).toEqual([]);
    expect(result.objectsPrinted).toBe(1 + 12); // the IVHD, 11 SELECTs, the IOAPIC special entry
    expect(result.objectsRequired).toBe(result.objectsPrinted);
  });

  it("iasl prints a SELECT (type 02) for every function of the profile, in devfn order, then the IOAPIC", () => {
    const dsl = workspace.disassemble(bytes, "ai-host-ivrs-entries");
    const entries = [...dsl.matchAll(/Entry Type : ([0-9A-F]{2})\s*\n\[[^\]]*\]\s+Device ID : ([0-9A-F]{4})/g)].map((match) => `${match[1]}:${match[2]}`);
    expect(entries).toEqual(["02:0000", "02:0008", "02:0010", "02:0018", "02:0020", "02:0028", "02:0030", "02:0038", "02:00F8", "02:00FA", "02:00FB", "48:0000"]);
    expect(dsl).toMatch(/Source Used Device ID : 00A0/);
    expect(dsl).toMatch(/Base Address : 00000000FED80000/);
  });

  it("iasl compiles its disassembly back to our bytes (header compiler id aside)", () => {
    const recompiled = workspace.compileDataTable(workspace.disassemble(bytes, "ai-host-ivrs-rt"), "ai-host-ivrs-recompiled");
    expect(recompiled.length).toBe(bytes.length);
    const differing = [...bytes.keys()].filter((index) => bytes[index] !== recompiled[index] && !IASL_HEADER_BYTES.has(index));
    expect(differing).toEqual([]);
    let sum = 0;
    for (const byte of recompiled) sum = (sum + byte) & 0xff;
    expect(sum).toBe(0);
  });

  it("the derived RSDT decodes cleanly and points at the moved WAET (IVRS + 124 bytes)", () => {
    const rsdt = new Uint8Array(readFileSync(IVRS_PATH.replace(/IVRS\.bin$/, "RSDT.bin")));
    const dsl = workspace.disassemble(rsdt, "ai-host-rsdt");
    expect(dsl).not.toMatch(/\*\*\*\* (ACPI )?(Error|Unknown)|Invalid checksum/i);
    const addresses = [...dsl.matchAll(/ACPI Table Address\s+\d+ : ([0-9A-F]{8})/g)].map((match) => match[1]);
    expect(addresses).toEqual(["1FFE21D8", "1FFE22CC", "1FFE235C", "1FFE2394", "1FFE23D0", "1FFE244C"]);
  });
});
