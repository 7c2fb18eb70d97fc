import { EPYC_GENOA_CPU } from "./epyc-genoa-cpu.js";
import { fixturesPath } from "./fixtures-path.js";
import type { PlatformProfile } from "./platform-profile.js";

/**
 * The machine of `qemu-system-x86_64 -machine q35 -smp 4 -m 512M -device amd-iommu` (QEMU 7.2,
 * SeaBIOS 1.16.2), whose ACPI tables are in fixtures/qemu-q35-amd-iommu.
 *
 * Memory map: SeaBIOS's e820 map for q35 with 512 MiB (SeaBIOS src/fw/paravirt.c + QEMU's
 * fw_cfg e820 table, as Linux prints it as "BIOS-e820"): usable 0-0x9FBFF, EBDA 0x9FC00-0x9FFFF
 * reserved, BIOS 0xF0000-0xFFFFF reserved, usable 1 MiB up to 0x1FFDFFFF, the top 128 KiB of RAM
 * 0x1FFE0000-0x1FFFFFFF reserved by SeaBIOS (it holds the ACPI tables: FACS is at 0x1FFE0000),
 * the MCFG ECAM window 0xB0000000-0xBFFFFFFF reserved, and QEMU's reserved
 * 0xFEFFC000-0xFEFFFFFF plus the BIOS ROM 0xFFFC0000-0xFFFFFFFF.
 *
 * PCI functions: the six select entries of the fixture's IVRS (platform.md §7.4), with the class
 * codes of the QEMU devices (q35 host bridge, std VGA, AMD IOMMU, ICH9 LPC, ICH9 AHCI, ICH9 SMBus).
 * Only the AHCI controller is a bus master in QEMU's default configuration.
 */
export function qemuQ35AmdIommuProfile(): PlatformProfile {
  return {
    name: "qemu-q35-amd-iommu",
    description: "QEMU 7.2 q35 + SeaBIOS, 4 CPUs (EPYC-Genoa model), 512 MiB, AMD IOMMU (amd-iommu device)",
    cpu: EPYC_GENOA_CPU,
    memory: [
      { base: 0x0n, size: 0x9fc00n, kind: "ram" },
      { base: 0x9fc00n, size: 0x400n, kind: "reserved" },
      { base: 0xf0000n, size: 0x10000n, kind: "reserved" },
      { base: 0x100000n, size: 0x1fee0000n, kind: "ram" },
      { base: 0x1ffe0000n, size: 0x20000n, kind: "reserved" },
      { base: 0xb0000000n, size: 0x10000000n, kind: "reserved" },
      { base: 0xfeffc000n, size: 0x4000n, kind: "reserved" },
      { base: 0xfffc0000n, size: 0x40000n, kind: "reserved" },
    ],
    pci: [
      { segment: 0, bus: 0, device: 0x00, function: 0, name: "q35 host bridge (82G33 DRAM controller)", classCode: 0x060000, dmaCapable: false },
      { segment: 0, bus: 0, device: 0x01, function: 0, name: "VGA (std-vga)", classCode: 0x030000, dmaCapable: false },
      { segment: 0, bus: 0, device: 0x02, function: 0, name: "AMD IOMMU", classCode: 0x080600, dmaCapable: false },
      { segment: 0, bus: 0, device: 0x1f, function: 0, name: "ICH9 LPC bridge", classCode: 0x060100, dmaCapable: false },
      { segment: 0, bus: 0, device: 0x1f, function: 2, name: "ICH9 AHCI SATA controller", classCode: 0x010601, dmaCapable: true },
      { segment: 0, bus: 0, device: 0x1f, function: 3, name: "ICH9 SMBus controller", classCode: 0x0c0500, dmaCapable: false },
    ],
    firmwareTables: fixturesPath("qemu-q35-amd-iommu"),
    notes: [
      "ACPI tables dumped from QEMU 7.2 guest memory (data/acpi/qemu-q35-amd-iommu)",
      "CPU model: QEMU EPYC-Genoa (target/i386/cpu.c); phys-bits 40 (TCG default)",
      "memory map: SeaBIOS e820 for q35 with 512 MiB",
    ],
  };
}
