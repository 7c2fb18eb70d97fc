import type { PciFunction } from "@novakit/kernel-core";
import { fixturesPath } from "./fixtures-path.js";
import type { PlatformProfile } from "./platform-profile.js";
import { qemuQ35AmdIommuProfile } from "./qemu-q35-amd-iommu.js";

/** Name of the shared AI host profile (the CLI's default configuration runs on it). */
export const QEMU_Q35_AI_HOST_PROFILE = "qemu-q35-amd-iommu-ai-host";

/**
 * The functions a shared AI host adds to the q35 machine. QEMU gives a `-device` without `addr=`
 * the first free slot of pcie.0; with `-net none`, slot 0 (host bridge), 1 (VGA) and 2 (the
 * AMD IOMMU's PCI function) are taken, so the command line
 *   -device vfio-pci,host=<accelerator 0> -device vfio-pci,host=<accelerator 1>
 *   -device e1000e -device e1000e -device nvme,serial=nk0,drive=<disk>
 * places them at 00:03.0 .. 00:07.0 in that order. The accelerators are passed-through
 * processing accelerators (PCI base class 12h, e.g. Habana Gaudi): QEMU itself emulates none, a
 * passed-through function keeps its own class code. e1000e reports class 020000h (Ethernet) and
 * QEMU's nvme 010802h (NVM Express I/O controller).
 */
const AI_HOST_FUNCTIONS: readonly PciFunction[] = [
  { segment: 0, bus: 0, device: 0x03, function: 0, name: "processing accelerator 0 (vfio-pci)", classCode: 0x120000, dmaCapable: true },
  { segment: 0, bus: 0, device: 0x04, function: 0, name: "processing accelerator 1 (vfio-pci)", classCode: 0x120000, dmaCapable: true },
  { segment: 0, bus: 0, device: 0x05, function: 0, name: "Intel 82574L NIC (e1000e)", classCode: 0x020000, dmaCapable: true },
  { segment: 0, bus: 0, device: 0x06, function: 0, name: "Intel 82574L NIC (e1000e)", classCode: 0x020000, dmaCapable: true },
  { segment: 0, bus: 0, device: 0x07, function: 0, name: "NVMe controller (QEMU nvme)", classCode: 0x010802, dmaCapable: true },
];

/**
 * The shared AI host: the machine of `qemu-q35-amd-iommu` (same CPU model, 512 MiB memory map and
 * ACPI tables) with two accelerators, two NICs and an NVMe controller added on bus 0.
 *
 * Memory stays 512 MiB: the default configuration's two tenants take 64 MiB each, well inside
 * the 511 MiB of usable RAM; more RAM would move SeaBIOS's table area (top of RAM) and so every
 * table address, which a derived fixture should not invent.
 *
 * Firmware: the IVRS is DERIVED, not dumped: the q35 dump's IVRS with one SELECT entry per added
 * function, in devfn order as QEMU's build_amd_iommu (hw/i386/acpi-build.c, insert_ivhd over
 * pci_for_each_device_under_bus) writes them, re-encoded by @novakit/iommu-amd's encodeIvrs
 * (length and checksum recomputed). The 20 extra bytes move the tables SeaBIOS lays out after
 * IVRS (WAET, then RSDT), so RSDT (its WAET entry) and RSDP (its RSDT address) are derived too,
 * checksums recomputed. The other tables are the q35 dump's bytes. The CLI's test
 * derive-ai-host-firmware.test.ts re-derives all three and compares them byte for byte.
 */
export function qemuQ35AmdIommuAiHostProfile(): PlatformProfile {
  const base = qemuQ35AmdIommuProfile();
  const pci = [...base.pci, ...AI_HOST_FUNCTIONS].sort((a, b) => a.device * 8 + a.function - (b.device * 8 + b.function));
  return {
    name: QEMU_Q35_AI_HOST_PROFILE,
    description: "QEMU q35 + AMD IOMMU as a shared AI host: 2 accelerators, 2 NICs, 1 NVMe (derived IVRS)",
    cpu: base.cpu,
    memory: base.memory,
    pci,
    firmwareTables: fixturesPath(QEMU_Q35_AI_HOST_PROFILE),
    notes: [
      "machine: qemu-q35-amd-iommu (QEMU 7.2 q35 + SeaBIOS, 4 CPUs, 512 MiB) plus -device options for 00:03.0-00:07.0",
      "IVRS DERIVED, not dumped: the q35 IVRS plus SELECT entries for 00:03.0-00:07.0 (QEMU build_amd_iommu order), encoded by encodeIvrs",
      "RSDT and RSDP derived: WAET and RSDT move by the 20 bytes the IVRS grew (SeaBIOS lays tables out back to back)",
      "DSDT, FACP, APIC, HPET, MCFG, WAET: the q35 dump's bytes (QEMU's q35 DSDT does not list pcie.0 endpoints one by one: assumed)",
      "accelerators: passed-through processing accelerators (class 12h); NICs: e1000e (020000h); NVMe: QEMU nvme (010802h)",
      "memory map: SeaBIOS e820 for q35 with 512 MiB (the default's two 64 MiB tenants fit)",
    ],
  };
}
