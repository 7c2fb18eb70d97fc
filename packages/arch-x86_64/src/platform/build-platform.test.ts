import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { AcpiTableSet } from "../acpi/acpi-table-set.js";
import { acpiTablesOf } from "../acpi/acpi-tables-of.js";
import { parseMadt } from "../acpi/madt.js";
import { qemuQ35AmdIommuProfile } from "../profiles/qemu-q35-amd-iommu.js";
import { makeTable, qemuTable } from "../test-support/fixtures.js";
import { buildPlatform, cpusFromMadt } from "./build-platform.js";
import { platformFromProfile } from "./profile-platform.js";

function errorOf(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

const madtHeader = [0, 0, 0xe0, 0xfe, 0, 0, 0, 0];
const lapic = (uid: number, id: number, flags: number): number[] => [0, 8, uid, id, flags, 0, 0, 0];
const x2apic = (id: number, flags: number, uid: number): number[] => [9, 16, 0, 0, id & 0xff, (id >> 8) & 0xff, 0, 0, flags, 0, 0, 0, uid, 0, 0, 0];

describe("CPUs from the MADT", () => {
  it("takes enabled and online-capable LAPIC/x2APIC entries, skips disabled ones and repeated ids", () => {
    const madt = parseMadt(
      makeTable("APIC", 5, [...madtHeader, ...lapic(0, 0, 1), ...lapic(1, 1, 0), ...lapic(2, 2, 2), ...x2apic(0x100, 1, 3), ...x2apic(0, 1, 4)]),
      "m",
    );
    expect(cpusFromMadt(madt).map((cpu) => [cpu.index, cpu.hardwareId, cpu.enabled, cpu.source.split(" ")[0]])).toEqual([
      [0, 0, true, "MADT.LAPIC"],
      [1, 2, false, "MADT.LAPIC"],
      [2, 0x100, true, "MADT.X2APIC"],
    ]);
  });

  it("a MADT without usable CPUs is NK-PRF-006; no MADT at all is NK-ACPI-022", () => {
    const tables = AcpiTableSet.fromRaw([{ label: "APIC", address: 0n, bytes: makeTable("APIC", 5, [...madtHeader, ...lapic(0, 0, 0)]), source: "APIC" }], "t");
    expect(errorOf(() => buildPlatform(qemuQ35AmdIommuProfile(), tables)).code).toBe("NK-PRF-006");
    const noMadt = AcpiTableSet.fromRaw([{ label: "MCFG", address: 0n, bytes: qemuTable("MCFG"), source: "MCFG" }], "t");
    expect(errorOf(() => buildPlatform(qemuQ35AmdIommuProfile(), noMadt)).code).toBe("NK-ACPI-022");
  });

  it("duplicate unique tables are rejected", () => {
    const raw = [qemuTable("MCFG"), qemuTable("MCFG")].map((bytes, index) => ({ label: "MCFG", address: 0n, bytes, source: `m${index}` }));
    expect(errorOf(() => AcpiTableSet.fromRaw(raw, "t")).code).toBe("NK-ACPI-023");
  });
});

describe("platform.firmware.tables", () => {
  it("carry every table's bytes, so an IOMMU plugin can rebuild the set and find IVRS", () => {
    const { platform } = platformFromProfile(qemuQ35AmdIommuProfile());
    const rebuilt = acpiTablesOf(platform);
    const ivrs = rebuilt.require("IVRS", "test");
    expect(ivrs.address).toBe(0x1ffe23d0n);
    expect(ivrs.length).toBe(104);
    expect(Array.from(ivrs.bytes.subarray(0, 4), (code) => String.fromCharCode(code)).join("")).toBe("IVRS");
    expect(rebuilt.tables.map((table) => table.signature)).toEqual(platform.firmware.tables.map((table) => table.signature));
  });
});
