import type { PlatformProfile } from "./platform-profile.js";
import { fixturesPath } from "./fixtures-path.js";

/**
 * Gigabyte X570 AORUS MASTER (AM4) from its real acpidump (linuxhw/ACPI dataset).
 *
 * ASSUMPTIONS (the dump does not carry them): the MADT lists 32 enabled local APICs, so the CPU
 * is taken to be a 16-core/32-thread Zen 2 part, the Ryzen 9 3950X (family 0x17, model 0x71,
 * stepping 0). Zen 2 has SVM, NX, 1 GiB pages and x2APIC, but no PCID/INVPCID (Zen 3+), no LA57,
 * no shadow stacks (Zen 3+), no TSC-deadline timer (AMD); 43 physical / 48 virtual address bits
 * as Linux reports for Matisse. No PQoS modelled. The memory map is an assumed 32 GiB layout:
 * RAM below the firmware area that starts under the DSDT (0xBC34A000), the MCFG ECAM window
 * 0xF0000000 (128 buses = 128 MiB) reserved, the rest of RAM above 4 GiB. PCI functions: only the
 * root complex and the IOMMU function (00:00.2) that every Matisse system has.
 */
export function gigabyteX570AorusMasterProfile(): PlatformProfile {
  return {
    name: "gigabyte-x570-aorus-master",
    description: "Gigabyte X570 AORUS MASTER, real ACPI tables; assumed Ryzen 9 3950X and 32 GiB",
    cpu: {
      vendor: "amd",
      name: "AMD Ryzen 9 3950X 16-Core Processor (assumed)",
      family: 0x17,
      model: 0x71,
      stepping: 0,
      features: ["SVM", "NX", "PDPE1GB", "X2APIC"],
      physicalAddressBits: 43,
      virtualAddressBits: 48,
    },
    memory: [
      { base: 0x0n, size: 0x9f000n, kind: "ram" },
      { base: 0x9f000n, size: 0x61000n, kind: "reserved" },
      { base: 0x100000n, size: 0xbc24a000n, kind: "ram" },
      { base: 0xbc34a000n, size: 0x3cb6000n, kind: "acpi" },
      { base: 0xf0000000n, size: 0x8000000n, kind: "reserved" },
      { base: 0x100000000n, size: 0x740000000n, kind: "ram" },
    ],
    pci: [
      { segment: 0, bus: 0, device: 0, function: 0, name: "AMD Starship/Matisse root complex", classCode: 0x060000, dmaCapable: false },
      { segment: 0, bus: 0, device: 0, function: 2, name: "AMD Starship/Matisse IOMMU", classCode: 0x080600, dmaCapable: false },
    ],
    firmwareTables: fixturesPath("acpidump/Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744.acpidump.txt"),
    notes: ["ACPI tables: real acpidump; CPU model, memory map and PCI list are assumptions (see source)"],
  };
}
