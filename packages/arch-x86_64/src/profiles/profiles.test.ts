import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { readFirmwareTables } from "../acpi/firmware-table-reader.js";
import { parseRsdt } from "../acpi/root-tables.js";
import { platformFromProfile } from "../platform/profile-platform.js";
import { fixturePath } from "../test-support/fixtures.js";
import { builtInProfiles, resolveProfile } from "./built-in-profiles.js";
import { EPYC_GENOA_CPU } from "./epyc-genoa-cpu.js";
import { loadProfile, parseProfileJson, saveProfile } from "./profile-json.js";
import { qemuQ35AmdIommuProfile } from "./qemu-q35-amd-iommu.js";

function errorOf(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

describe("built-in profiles", () => {
  it("lists names and descriptions", () => {
    expect(builtInProfiles.map((entry) => entry.name)).toEqual(["qemu-q35-amd-iommu", "qemu-q35-amd-iommu-ai-host", "gigabyte-x570-aorus-master"]);
    for (const entry of builtInProfiles) expect(entry.description.length).toBeGreaterThan(10);
  });

  it("an unknown name lists the known profiles", () => {
    const error = errorOf(() => resolveProfile("qemu-pc", "/nonexistent"));
    expect(error.code).toBe("NK-PRF-001");
    expect(error.message).toContain("qemu-q35-amd-iommu");
    expect(error.hint).toContain("gigabyte-x570-aorus-master");
  });

  it("EPYC-Genoa model: exactly the QEMU feature bits the kernel gates on", () => {
    expect(EPYC_GENOA_CPU).toMatchObject({ vendor: "amd", family: 25, model: 17, stepping: 0, physicalAddressBits: 40, virtualAddressBits: 57 });
    expect([...EPYC_GENOA_CPU.features].sort()).toEqual(["LA57", "NX", "PCID", "PDPE1GB", "SVM"]);
    expect(EPYC_GENOA_CPU.features).not.toContain("CET_IBT");
    expect(EPYC_GENOA_CPU.features).not.toContain("VMX");
  });

  it("the address manifest of the QEMU fixture is a consistent chain", () => {
    const set = readFirmwareTables(fixturePath("qemu-q35-amd-iommu"));
    const rsdt = parseRsdt(set.require("RSDT", "test").bytes, "RSDT");
    const listed = rsdt.entries.map((address) => set.tables.find((table) => table.address === address)?.signature);
    expect(listed).toEqual(["FACP", "APIC", "HPET", "MCFG", "IVRS", "WAET"]);
    // back-to-back layout from FACS (64 bytes at 0x1FFE0000) through the RSDT
    const ordered = [...set.tables].filter((table) => table.signature !== "RSD PTR ").sort((a, b) => (a.address < b.address ? -1 : 1));
    let expected = 0x1ffe0040n;
    for (const table of ordered) {
      expect(table.address).toBe(expected);
      expected += BigInt(table.length);
    }
  });
});

describe("profile JSON", () => {
  it("round-trips the built-in profile through save and load", () => {
    const dir = mkdtempSync(join(tmpdir(), "novakit-profile-"));
    const profile = qemuQ35AmdIommuProfile();
    const text = saveProfile(profile, dir);
    expect(text).toContain('"base": "0x100000"');
    expect(text).toContain('"address": "0000:00:1f.2"');
    const path = join(dir, "machine.json");
    writeFileSync(path, text);
    const loaded = loadProfile(path);
    expect(loaded).toEqual({ ...profile, cpu: { ...profile.cpu, features: [...profile.cpu.features] } });
    expect(saveProfile(loaded, dir)).toBe(text);
    // and a config-relative path resolves to it
    expect(resolveProfile("machine.json", dir).name).toBe("qemu-q35-amd-iommu");
  });

  it("schema errors name the field", () => {
    const json = JSON.parse(saveProfile(qemuQ35AmdIommuProfile())) as Record<string, unknown> & { memory: { base: string }[] };
    const first = json.memory[0];
    if (first !== undefined) first.base = "4096";
    const error = errorOf(() => parseProfileJson(JSON.stringify(json), "p.json"));
    expect(error.code).toBe("NK-PRF-004");
    expect(error.location).toEqual({ file: "p.json", field: "memory[0].base" });
    expect(errorOf(() => parseProfileJson("{ nope", "p.json")).code).toBe("NK-PRF-003");
    expect(errorOf(() => loadProfile("/nonexistent/p.json")).code).toBe("NK-PRF-002");
  });

  it("CPU model consistency: 57-bit VA without LA57, overlapping memory", () => {
    const json = JSON.parse(saveProfile(qemuQ35AmdIommuProfile())) as { cpu: { features: string[] }; memory: { base: string; size: string }[] };
    json.cpu.features = json.cpu.features.filter((feature) => feature !== "LA57");
    expect(errorOf(() => parseProfileJson(JSON.stringify(json), "p.json")).code).toBe("NK-PRF-005");
    const overlapping = JSON.parse(saveProfile(qemuQ35AmdIommuProfile())) as { memory: { base: string; size: string; kind: string }[] };
    overlapping.memory.push({ base: "0x1000", size: "0x1000", kind: "ram" });
    expect(errorOf(() => parseProfileJson(JSON.stringify(overlapping), "p.json")).code).toBe("NK-PRF-008");
  });
});

describe("profile -> Platform", () => {
  it("qemu-q35-amd-iommu builds the platform of platform.md §7.4", () => {
    const { platform } = platformFromProfile(qemuQ35AmdIommuProfile());
    expect(platform.arch).toBe("x86_64");
    expect(platform.cpus.map((cpu) => [cpu.index, cpu.hardwareId, cpu.enabled])).toEqual([
      [0, 0, true],
      [1, 1, true],
      [2, 2, true],
      [3, 3, true],
    ]);
    expect(platform.interruptControllers).toEqual([
      { kind: "lapic", id: 0, baseAddress: 0xfee00000n, details: { pcatCompat: true, addressOverridden: false } },
      { kind: "ioapic", id: 0, baseAddress: 0xfec00000n, details: { gsiBase: 0, isaOverrides: 5 } },
    ]);
    expect(platform.pciSegments).toEqual([{ segment: 0, ecamBase: 0xb0000000n, startBus: 0, endBus: 255 }]);
    expect(platform.iommus).toEqual([]);
    expect(platform.tpm).toBeUndefined();
    expect(platform.firmware.rootPointer).toBe(0xf59e0n);
    expect(platform.firmware.tables).toHaveLength(9);
    expect(platform.firmware.properties).toMatchObject({
      "acpi.ivrs": true,
      "acpi.dmar": false,
      "acpi.revision": 0,
      "acpi.rootTable": "RSDT",
      "fadt.revision": 3,
      "fadt.facs": "0x1FFE0000",
      "fadt.dsdt": "0x1FFE0040",
      "fadt.smiCommand": "0xB2",
      "fadt.pm1aControl": "0x604",
      "fadt.protectedPorts": "PM1a_CNT=0x604/2,SMI_CMD=0xB2/1",
      "hpet.address": "0xFED00000",
      "hpet.comparators": 3,
    });
    expect(platform.pci.filter((fn) => fn.dmaCapable).map((fn) => fn.name)).toEqual(["ICH9 AHCI SATA controller"]);
    const ram = platform.memory.filter((region) => region.kind === "ram").reduce((sum, region) => sum + region.size, 0n);
    expect(ram).toBe(0x9fc00n + 0x1fee0000n);
  });

  it("gigabyte-x570-aorus-master builds from the real acpidump: 32 CPUs, TPM, 2 IOAPICs", () => {
    const { platform } = platformFromProfile(resolveProfile("gigabyte-x570-aorus-master", "."));
    expect(platform.cpus).toHaveLength(32);
    expect(platform.cpus[1]?.hardwareId).toBe(2);
    expect(platform.interruptControllers.filter((controller) => controller.kind === "ioapic")).toHaveLength(2);
    expect(platform.tpm).toEqual({ interface: "acpi-start", baseAddress: 0xfd210510n, source: "TPM2 start method 2" });
    expect(platform.pciSegments).toEqual([{ segment: 0, ecamBase: 0xf0000000n, startBus: 0, endBus: 127 }]);
    expect(platform.firmware.rootPointer).toBeUndefined();
  });
});
