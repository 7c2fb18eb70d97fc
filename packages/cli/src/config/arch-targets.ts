import { z } from "zod";
import { NovakitError, type Arch, type NovakitConfig } from "@novakit/kernel-core";
import { novakitConfigSchema } from "./config-schema.js";
import { TARGET_CODES } from "./target-codes.js";
import { issueToError } from "./validate-config.js";

/** Every arch novakit models, in the order help texts and diagnostics list them. */
export const ARCHES: readonly Arch[] = Object.freeze(["x86_64", "aarch64"]);

/**
 * What one arch of a portable configuration sets on top of the shared part: the keys that are
 * naturally arch-specific (the machine, its plugins, NOVA's command line, and the domains when
 * CPU numbers or devices differ). A key given here replaces the top-level one as a whole (no
 * deep merge): what boots is then readable from two places, not computed from many.
 */
export interface ArchTarget {
  readonly platform?: string;
  readonly plugins?: NovakitConfig["plugins"];
  readonly cmdline?: string;
  readonly domains?: NovakitConfig["domains"];
}

export type ArchTargets = { readonly [A in Arch]?: ArchTarget };

/**
 * A configuration file as written: a NovakitConfig, or a portable one whose `targets` section
 * lists the arches it supports (the top-level `arch` then only names the default, and `platform`
 * may be left to the targets). The CLI turns it into a NovakitConfig for one arch
 * (selectArchTarget) before anything else sees it, so the kernel contract stays one arch per kernel.
 */
export interface NovakitConfigFile extends Omit<NovakitConfig, "arch" | "platform"> {
  readonly arch?: Arch;
  /** optional when every target sets it */
  readonly platform?: string;
  readonly targets?: ArchTargets;
}

// The override keys reuse the top-level field schemas, so a value is judged the same in both places.
const shape = novakitConfigSchema.shape;
const archTargetSchema = z.strictObject({
  platform: shape.platform.optional(),
  plugins: shape.plugins,
  cmdline: shape.cmdline,
  domains: shape.domains.optional(),
});
export const archTargetsSchema = z.strictObject(
  { x86_64: archTargetSchema.optional(), aarch64: archTargetSchema.optional() },
  { error: "expected an object with an x86_64 and/or aarch64 section" },
);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
export const isArch = (value: unknown): value is Arch => typeof value === "string" && (ARCHES as readonly string[]).includes(value);

/**
 * The arches a configuration value (as read, not validated) supports: its `targets` in the
 * order they are declared, else its fixed `arch`, else none (validation will say why).
 */
export function supportedArches(value: unknown): readonly Arch[] {
  if (!isRecord(value)) return [];
  const targets = value["targets"];
  if (isRecord(targets)) return Object.keys(targets).filter(isArch);
  return isArch(value["arch"]) ? [value["arch"]] : [];
}

/**
 * The configuration for one arch. A configuration with a fixed `arch` is returned as it is; it
 * accepts `requested` equal to that arch and rejects another (NK-TGT-001). A portable one (with
 * `targets`) becomes the shared part with `arch` set and the chosen target's keys on top; without
 * `requested` the chosen arch is the top-level `arch` (its declared default) or the first target.
 * A value that is not even an object is returned unchanged for validation to report.
 */
export function selectArchTarget(value: unknown, file: string, requested: Arch | undefined): unknown {
  if (!isRecord(value)) return value;
  const targetsValue = value["targets"];
  if (targetsValue === undefined) {
    const fixed = value["arch"];
    if (requested !== undefined && isArch(fixed) && fixed !== requested) throw archNotSupported(file, "arch", requested, [fixed]);
    return value;
  }
  const parsed = archTargetsSchema.safeParse(targetsValue, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue !== undefined) throw issueToError({ ...issue, path: ["targets", ...issue.path] }, file);
  }
  const targets = parsed.data ?? {};
  const supported = supportedArches(value);
  if (supported.length === 0) {
    throw new NovakitError(TARGET_CODES.noTargets, "targets declares no arch", { file, field: "targets" }, `add a section per arch it boots on: ${ARCHES.join(", ")}`);
  }
  const declaredDefault = value["arch"];
  if (declaredDefault !== undefined && !(isArch(declaredDefault) && supported.includes(declaredDefault))) {
    throw new NovakitError(
      TARGET_CODES.defaultNotATarget,
      `the default arch ${JSON.stringify(declaredDefault)} is not one of the targets (${supported.join(", ")})`,
      { file, field: "arch" },
      `set arch to one of ${supported.join(", ")}, or add a targets.${String(declaredDefault)} section`,
    );
  }
  const arch = requested ?? (isArch(declaredDefault) ? declaredDefault : supported[0]);
  if (arch === undefined) throw new Error("unreachable: a portable configuration with targets but no arch");
  if (!supported.includes(arch)) throw archNotSupported(file, "targets", arch, supported);
  const shared = Object.fromEntries(Object.entries(value).filter(([key]) => key !== "targets"));
  return { ...shared, arch, ...targets[arch] };
}

function archNotSupported(file: string, field: string, requested: Arch, supported: readonly Arch[]): NovakitError {
  const portable = field === "targets";
  return new NovakitError(
    TARGET_CODES.archNotSupported,
    `--arch ${requested}: the configuration supports ${supported.join(", ")} only`,
    { file, field },
    portable
      ? `use --arch ${supported.join(" or --arch ")}, or add a targets.${requested} section`
      : `use --arch ${supported.join(", ")} or leave --arch out; or make it portable: a targets section with ${[...supported, requested].join(" and ")}`,
  );
}
