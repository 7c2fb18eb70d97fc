import { readFileSync } from "node:fs";
import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { ACPIDUMP_FILES, fixturePath } from "../test-support/fixtures.js";
import { parseAcpidumpText, splitAcpidumpText } from "./acpidump-text.js";
import { parseFadt } from "./fadt.js";
import { readFirmwareTables } from "./firmware-table-reader.js";
import { parseMadt } from "./madt.js";
import { parseMcfg } from "./mcfg.js";
import { parseTpm2 } from "./tpm2.js";

function errorOf(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

describe("acpidump text import (three real machines)", () => {
  it("ASRock 970M Pro3: 11 tables, 8 CPUs, 2 IOAPICs", () => {
    const set = readFirmwareTables(fixturePath(ACPIDUMP_FILES.asrock970m));
    expect(set.tables.map((table) => table.signature)).toEqual(["SSDT", "AAFT", "MCFG", "APIC", "UEFI", "IVRS", "DSDT", "FACP", "FPDT", "HPET", "FACS"]);
    const madt = parseMadt(set.require("APIC", "test").bytes, "APIC");
    expect(madt.entries.filter((entry) => entry.type === "lapic")).toHaveLength(8);
    expect(madt.entries.filter((entry) => entry.type === "ioapic")).toHaveLength(2);
    expect(parseMcfg(set.require("MCFG", "test").bytes, "MCFG").allocations[0]?.baseAddress).toBe(0xe0000000n);
    // FADT pointers fill the addresses the anonymised dump leaves at 0
    expect(set.find("DSDT")?.address).toBe(0xbe82f178n);
    expect(set.find("FACS")?.address).toBe(0xbe839080n);
  });

  it("Gigabyte X570 AORUS MASTER: 25 tables incl. 11 SSDTs, TPM2, FADT revision 6", () => {
    const set = readFirmwareTables(fixturePath(ACPIDUMP_FILES.gigabyteX570));
    expect(set.tables).toHaveLength(25);
    expect(set.findAll("SSDT")).toHaveLength(11);
    const fadt = parseFadt(set.require("FACP", "test").bytes, "FACP");
    expect(fadt.header.revision).toBe(6);
    expect(fadt.header.length).toBe(276);
    expect(fadt.pm2ControlBlock).toBe(0xb4);
    const tpm2 = parseTpm2(set.require("TPM2", "test").bytes, "TPM2");
    expect(tpm2.startMethod).toBe(2);
    expect(tpm2.controlAreaAddress).toBe(0xfd210510n);
    const madt = parseMadt(set.require("APIC", "test").bytes, "APIC");
    expect(madt.entries.filter((entry) => entry.type === "lapic" && entry.enabled)).toHaveLength(32);
    // tables NOVA does not parse are kept with header and bytes
    const crat = set.find("CRAT");
    expect(crat?.oemId).toBe("AMD");
    expect(crat?.bytes.length).toBe(crat?.length);
  });

  it("ThinkPad L14 Gen 3: 33 tables, TIS TPM, 16 LAPIC NMIs", () => {
    const set = readFirmwareTables(fixturePath(ACPIDUMP_FILES.thinkpadL14));
    expect(set.tables).toHaveLength(33);
    expect(set.findAll("SSDT")).toHaveLength(15);
    expect(parseTpm2(set.require("TPM2", "test").bytes, "TPM2").interfaceName).toBe("tis");
    const madt = parseMadt(set.require("APIC", "test").bytes, "APIC");
    expect(madt.entries.filter((entry) => entry.type === "lapic-nmi")).toHaveLength(16);
    expect(set.find("IVRS")).toBeDefined();
    expect(set.rsdp).toBeUndefined();
  });

  it("the whole text round-trips: byte counts equal each table's length", () => {
    const text = readFileSync(fixturePath(ACPIDUMP_FILES.thinkpadL14), "utf8");
    const raw = splitAcpidumpText(text, "l14.txt");
    const set = parseAcpidumpText(text, "l14.txt");
    expect(raw.map((table) => table.bytes.length)).toEqual(set.tables.map((table) => table.length));
  });
});

describe("acpidump text errors", () => {
  const good = "MCFG @ 0x0000000000000000\n    0000: 4D 43 46 47 3C 00 00 00  MCFG<...\n";

  it("rejects garbage lines with the line number", () => {
    const error = errorOf(() => splitAcpidumpText(`${good}    this is not hex\n`, "d.txt"));
    expect(error.code).toBe("NK-ACPI-015");
    expect(error.location).toEqual({ file: "d.txt", field: "line 3" });
    expect(errorOf(() => splitAcpidumpText("    0000: 00 11\n", "d.txt")).code).toBe("NK-ACPI-015");
  });

  it("rejects an offset gap", () => {
    const error = errorOf(() => splitAcpidumpText(`${good}    0010: 00 00\n`, "d.txt"));
    expect(error.code).toBe("NK-ACPI-016");
  });

  it("a table cut short in the dump names its source line", () => {
    const error = errorOf(() => parseAcpidumpText(good, "d.txt"));
    expect(error.code).toBe("NK-ACPI-003");
    expect(error.location.file).toBe("d.txt line 1 (MCFG)");
  });

  it("a heading whose bytes carry another signature is rejected", () => {
    const text = readFileSync(fixturePath(ACPIDUMP_FILES.asrock970m), "utf8").replace("HPET @ 0x", "HPEX @ 0x");
    expect(errorOf(() => parseAcpidumpText(text, "d.txt")).code).toBe("NK-ACPI-018");
  });

  it("an empty dump has no tables", () => {
    expect(errorOf(() => parseAcpidumpText("\n\n", "d.txt")).code).toBe("NK-ACPI-020");
  });
});

describe("raw table readers", () => {
  it("reads the QEMU folder with its address manifest", () => {
    const set = readFirmwareTables(fixturePath("qemu-q35-amd-iommu"));
    expect(set.tables.map((table) => table.signature.trim())).toEqual(["APIC", "DSDT", "FACP", "HPET", "IVRS", "MCFG", "RSD PTR", "RSDT", "WAET"]);
    expect(set.rsdp?.revision).toBe(0);
    expect(set.rootTable).toBe("RSDT");
    expect(set.rsdpAddress).toBe(0xf59e0n);
    expect(set.find("APIC")?.address).toBe(0x1ffe22ccn);
  });

  it("reads one raw table file", () => {
    const set = readFirmwareTables(fixturePath("qemu-q35-amd-iommu/MCFG.bin"));
    expect(set.tables).toHaveLength(1);
    expect(set.tables[0]?.signature).toBe("MCFG");
  });

  it("a missing path is NK-ACPI-019", () => {
    expect(errorOf(() => readFirmwareTables(fixturePath("does-not-exist"))).code).toBe("NK-ACPI-019");
  });
});
