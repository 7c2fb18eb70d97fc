import { describe, expect, it } from "vitest";
import { readFirmwareTables } from "../acpi/firmware-table-reader.js";
import { parseRsdt } from "../acpi/root-tables.js";
import { platformFromProfile } from "../platform/profile-platform.js";
import { resolveProfile } from "./built-in-profiles.js";
import { qemuQ35AmdIommuProfile } from "./qemu-q35-amd-iommu.js";
import { QEMU_Q35_AI_HOST_PROFILE, qemuQ35AmdIommuAiHostProfile } from "./qemu-q35-amd-iommu-ai-host.js";

const pciName = (fn: { bus: number; device: number; function: number }): string =>
  `${fn.bus.toString(16).padStart(2, "0")}:${fn.device.toString(16).padStart(2, "0")}.${fn.function}`;

describe("qemu-q35-amd-iommu-ai-host", () => {
  it("resolves by name and is the q35 machine plus five bus masters at 00:03.0-00:07.0", () => {
    const profile = resolveProfile(QEMU_Q35_AI_HOST_PROFILE, "/nonexistent");
    const q35 = qemuQ35AmdIommuProfile();
    expect(profile.cpu).toEqual(q35.cpu);
    expect(profile.memory).toEqual(q35.memory);
    expect(profile.pci.map(pciName)).toEqual(["00:00.0", "00:01.0", "00:02.0", "00:03.0", "00:04.0", "00:05.0", "00:06.0", "00:07.0", "00:1f.0", "00:1f.2", "00:1f.3"]);
    const added = profile.pci.filter((fn) => fn.device >= 3 && fn.device <= 7);
    expect(added.map((fn) => [fn.classCode, fn.dmaCapable])).toEqual([
      [0x120000, true],
      [0x120000, true],
      [0x020000, true],
      [0x020000, true],
      [0x010802, true],
    ]);
    expect(profile.notes?.some((note) => note.includes("DERIVED, not dumped"))).toBe(true);
  });

  it("builds a platform with the q35 CPUs and controllers and an IVRS 20 bytes longer", () => {
    const { platform } = platformFromProfile(qemuQ35AmdIommuAiHostProfile());
    const q35 = platformFromProfile(qemuQ35AmdIommuProfile()).platform;
    expect(platform.cpus).toEqual(q35.cpus);
    expect(platform.interruptControllers).toEqual(q35.interruptControllers);
    expect(platform.pciSegments).toEqual(q35.pciSegments);
    expect(platform.firmware.rootPointer).toBe(0xf59e0n);
    const ivrs = platform.firmware.tables.find((table) => table.signature === "IVRS");
    const q35Ivrs = q35.firmware.tables.find((table) => table.signature === "IVRS");
    expect(ivrs?.length).toBe((q35Ivrs?.length ?? 0) + 20);
  });

  it("the derived table addresses still form SeaBIOS's back-to-back chain, and the RSDT points at them", () => {
    const set = readFirmwareTables(qemuQ35AmdIommuAiHostProfile().firmwareTables);
    const rsdtTable = set.require("RSDT", "test");
    expect(set.rsdp?.rsdtAddress).toBe(rsdtTable.address);
    const rsdt = parseRsdt(rsdtTable.bytes, "RSDT");
    const listed = rsdt.entries.map((address) => set.tables.find((table) => table.address === address)?.signature);
    expect(listed).toEqual(["FACP", "APIC", "HPET", "MCFG", "IVRS", "WAET"]);
    const ordered = [...set.tables].filter((table) => table.signature !== "RSD PTR ").sort((a, b) => (a.address < b.address ? -1 : 1));
    let expected = 0x1ffe0040n;
    for (const table of ordered) {
      expect(table.address).toBe(expected);
      expected += BigInt(table.length);
    }
  });
});
