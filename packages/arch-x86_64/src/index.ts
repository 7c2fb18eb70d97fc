import "reflect-metadata";

// Public API of @novakit/arch-x86_64.
export {
  archX86_64Plugin,
  archX86_64Options,
  choosePagingLevels,
  guestPageTableFormat,
  ARCH_X86_64_PLUGIN_NAME,
  type ArchX86_64Options,
} from "./plugin.js";
export * from "./paging/index.js";
export { archX86_64Plugin as default } from "./plugin.js";

// ACPI parsers and readers
export * from "./acpi/acpi-diagnostics.js";
export { TableReader, byteSum } from "./acpi/table-reader.js";
export * from "./acpi/sdt-header.js";
export * from "./acpi/rsdp.js";
export * from "./acpi/root-tables.js";
export * from "./acpi/generic-address.js";
export * from "./acpi/fadt.js";
export * from "./acpi/facs.js";
export * from "./acpi/madt.js";
export * from "./acpi/mcfg.js";
export * from "./acpi/hpet.js";
export * from "./acpi/tpm2.js";
export * from "./acpi/acpi-table-set.js";
export * from "./acpi/acpi-tables-of.js";
export * from "./acpi/acpidump-text.js";
export * from "./acpi/firmware-table-reader.js";

// platform and profiles
export * from "./platform/build-platform.js";
export * from "./platform/profile-platform.js";
export * from "./profiles/profile-diagnostics.js";
export * from "./profiles/x86-cpu-model.js";
export * from "./profiles/platform-profile.js";
export * from "./profiles/epyc-genoa-cpu.js";
export * from "./profiles/cpuid-features.js";
export { qemuQ35AmdIommuProfile } from "./profiles/qemu-q35-amd-iommu.js";
export { gigabyteX570AorusMasterProfile } from "./profiles/gigabyte-x570-aorus-master.js";
export * from "./profiles/profile-json.js";
export * from "./profiles/validate-profile.js";
export * from "./profiles/built-in-profiles.js";

// CPU state and ctrl_hw
export * from "./cpu/control-registers.js";
export * from "./cpu/cpu-control-state.js";
export * from "./hypercalls/ctrl-hw.js";
