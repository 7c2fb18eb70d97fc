import type { Platform } from "@novakit/kernel-core";
import type { AcpiTableSet } from "../acpi/acpi-table-set.js";
import { readFirmwareTables } from "../acpi/firmware-table-reader.js";
import type { PlatformProfile } from "../profiles/platform-profile.js";
import { validateCpuModel, validateMemoryMap } from "../profiles/validate-profile.js";
import { buildPlatform } from "./build-platform.js";

/** Read a profile's firmware tables and build its Platform. */
export function platformFromProfile(profile: PlatformProfile): { platform: Platform; tables: AcpiTableSet } {
  const where = `profile ${profile.name}`;
  validateCpuModel(profile.cpu, where);
  validateMemoryMap(profile.memory, where);
  const tables = readFirmwareTables(profile.firmwareTables);
  return { platform: buildPlatform(profile, tables), tables };
}
