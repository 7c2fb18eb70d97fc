import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { gigabyteX570AorusMasterProfile } from "./gigabyte-x570-aorus-master.js";
import type { PlatformProfile } from "./platform-profile.js";
import { ProfileDiagnostic, profileError } from "./profile-diagnostics.js";
import { loadProfile } from "./profile-json.js";
import { qemuQ35AmdIommuProfile } from "./qemu-q35-amd-iommu.js";
import { QEMU_Q35_AI_HOST_PROFILE, qemuQ35AmdIommuAiHostProfile } from "./qemu-q35-amd-iommu-ai-host.js";

export interface BuiltInProfileEntry {
  readonly name: string;
  readonly description: string;
  readonly create: () => PlatformProfile;
}

/** The profiles this package ships (`novakit plugins` lists them). */
export const builtInProfiles: readonly BuiltInProfileEntry[] = Object.freeze([
  {
    name: "qemu-q35-amd-iommu",
    description: "QEMU 7.2 q35 + SeaBIOS, 4 CPUs (EPYC-Genoa model), 512 MiB, AMD IOMMU",
    create: qemuQ35AmdIommuProfile,
  },
  {
    name: QEMU_Q35_AI_HOST_PROFILE,
    description: "QEMU q35 + AMD IOMMU as a shared AI host: 2 accelerators, 2 NICs, NVMe; derived IVRS",
    create: qemuQ35AmdIommuAiHostProfile,
  },
  {
    name: "gigabyte-x570-aorus-master",
    description: "Gigabyte X570 AORUS MASTER real ACPI tables; assumed Ryzen 9 3950X, 32 GiB",
    create: gigabyteX570AorusMasterProfile,
  },
]);

/**
 * A built-in profile by name, or a profile JSON file by path (relative to `baseDir`, the
 * configuration's directory). Anything else is NK-PRF-001 listing the known names.
 */
export function resolveProfile(nameOrPath: string, baseDir: string): PlatformProfile {
  const builtIn = builtInProfiles.find((entry) => entry.name === nameOrPath);
  if (builtIn !== undefined) return builtIn.create();
  const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(baseDir, nameOrPath);
  if (existsSync(path)) return loadProfile(path);
  const known = builtInProfiles.map((entry) => entry.name).join(", ");
  throw profileError(
    ProfileDiagnostic.UNKNOWN_PROFILE,
    `unknown platform profile "${nameOrPath}": not a built-in profile (${known}) and no file ${path}`,
    { field: "platform" },
    `use one of: ${known}, or a path to a profile JSON relative to the configuration`,
  );
}
