import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Platform } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import { platformFromFdt, type FdtPlatformFacts } from "../discovery/fdt-platform.js";
import { parseFdt } from "../fdt/fdt-parse.js";
import type { FdtTree } from "../fdt/fdt-types.js";
import { fixturesPath } from "./fixtures-path.js";

/** A platform discovered from a device tree, with the tree it came from. */
export interface Aarch64Profile {
  readonly name: string;
  readonly platform: Platform;
  readonly facts: FdtPlatformFacts;
  readonly tree: FdtTree;
}

export interface BuiltInProfileEntry {
  readonly name: string;
  readonly description: string;
  /** file under fixtures/ */
  readonly dtb: string;
}

/**
 * The profiles this package ships: QEMU 7.2 `virt` DTBs dumped with `-smp 4` and `-cpu cortex-a57` (EL2 variants) or `-cpu cortex-a72` (SMMUv3)
 * (reference/platform.md §7.2, the shared data README).
 */
export const builtInProfiles: readonly BuiltInProfileEntry[] = Object.freeze([
  {
    name: "qemu-virt-gicv2",
    description: "QEMU 7.2 virt, virtualization=on (EL2), GICv2 with GICH/GICV + v2m, 4 x Cortex-A57, 2 GiB",
    dtb: "qemu-virt-gicv2-el2.dtb",
  },
  {
    name: "qemu-virt-gicv3",
    description: "QEMU 7.2 virt, virtualization=on (EL2), GICv3 + ITS, 4 x Cortex-A57, 2 GiB",
    dtb: "qemu-virt-gicv3-el2.dtb",
  },
  {
    name: "qemu-virt-gicv3-smmuv3",
    description: "QEMU 7.2 virt, iommu=smmuv3 (no EL2), GICv3 + ITS, SMMUv3, 4 x Cortex-A72, 1 GiB",
    dtb: "qemu-virt-gicv3-smmuv3.dtb",
  },
]);

/** Parses a blob and discovers its platform. */
export function profileFromDtb(name: string, blob: Uint8Array, file: string): Aarch64Profile {
  const tree = parseFdt(blob, file);
  const { platform, facts } = platformFromFdt(tree, blob, { name });
  return { name, platform, facts, tree };
}

export function loadBuiltInProfile(entry: BuiltInProfileEntry): Aarch64Profile {
  const path = fixturesPath(entry.dtb);
  return profileFromDtb(entry.name, new Uint8Array(readFileSync(path)), `profile ${entry.name} (${entry.dtb})`);
}

/**
 * A built-in profile by name, or a `.dtb` file by path (relative to `baseDir`, the
 * configuration's directory). Anything else is NK-A64-001 listing the known names.
 */
export function resolveProfile(nameOrPath: string, baseDir: string): Aarch64Profile {
  const builtIn = builtInProfiles.find((entry) => entry.name === nameOrPath);
  if (builtIn !== undefined) return loadBuiltInProfile(builtIn);
  const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(baseDir, nameOrPath);
  if (existsSync(path) && statSync(path).isFile()) {
    return profileFromDtb(nameOrPath.replace(/^.*[\\/]/, "").replace(/\.dtb$/, ""), new Uint8Array(readFileSync(path)), path);
  }
  const known = builtInProfiles.map((entry) => entry.name).join(", ");
  throw a64Error(
    A64Diagnostic.UNKNOWN_PROFILE,
    `unknown platform profile "${nameOrPath}": not a built-in AArch64 profile (${known}) and no file ${path}`,
    { field: "platform" },
    `use one of: ${known}, or a path to a .dtb relative to the configuration`,
  );
}
