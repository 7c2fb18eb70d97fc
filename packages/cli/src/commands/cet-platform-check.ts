import { NovakitError, type Platform } from "@novakit/kernel-core";
import { CFP_LEVELS, cetFindings, SECURITY_CET_PLUGIN_NAME, unsupportedLevelError, gateCfpLevel, type CfpLevel } from "@novakit/security-cet";
import { CLI_CODES } from "../args/cli-codes.js";
import type { PlatformFinding } from "../config/platform-checks.js";
import type { PreparedConfiguration } from "../config/prepare-configuration.js";

/** The CET plugin's request in the configuration, its raw options and where it was written. */
interface CetRequest {
  readonly cfp: CfpLevel | undefined;
  readonly unsupported: unknown;
  readonly file: string | undefined;
  readonly field: string;
}

const isCfpLevel = (value: unknown): value is CfpLevel => typeof value === "string" && (CFP_LEVELS as readonly string[]).includes(value);

function cetRequest(prepared: PreparedConfiguration): CetRequest {
  const request = prepared.requests.find((candidate) => candidate.plugin.name === SECURITY_CET_PLUGIN_NAME);
  if (request === undefined) return { cfp: undefined, unsupported: undefined, file: prepared.source.label, field: "plugins" };
  const options = typeof request.options === "object" && request.options !== null ? (request.options as Record<string, unknown>) : {};
  // "novakit.config.json: plugins[2]" -> file and field, as the plugin resolver reads sources
  const separator = request.source.indexOf(": ");
  const file = separator < 0 ? prepared.source.label : request.source.slice(0, separator);
  const where = separator < 0 ? request.source : request.source.slice(separator + 2);
  return { cfp: isCfpLevel(options["cfp"]) ? options["cfp"] : undefined, unsupported: options["unsupported"], file, field: `${where}.options.cfp` };
}

/**
 * `check`: the CFP level against the platform's CPU . An error when the configured
 * level needs a CET feature the CPU lacks; a suggestion (warning) when cfp is unset, or the
 * plugin absent, on a CPU that can run a level.
 */
export function cetPlatformFindings(prepared: PreparedConfiguration, platform: Platform): PlatformFinding[] {
  const request = cetRequest(prepared);
  return cetFindings({ platform, requested: request.cfp, field: request.field, ...(request.file !== undefined ? { file: request.file } : {}) });
}

/**
 * `compose`: NOVA's make flags (`make ARCH=x86_64 CFP=full`, cet.md §7). CFP exists only on
 * x86_64; a level the CPU cannot run is refused as boot refuses it (NK-CET-050), unless the
 * configuration asks for the image to be patched down (`unsupported: "patch"`).
 */
export function novaMakeFlags(prepared: PreparedConfiguration, platform: Platform): string[] {
  const flags = [`ARCH=${prepared.config.arch}`];
  if (prepared.config.arch !== "x86_64") return [...flags, `BOARD=${novaBoard(platform)}`];
  const request = cetRequest(prepared);
  const level: CfpLevel = request.cfp ?? "none";
  if (!gateCfpLevel(level, platform.cpu).supported && request.unsupported !== "patch") {
    const error: NovakitError = unsupportedLevelError(level, platform, { field: request.field, ...(request.file !== undefined ? { file: request.file } : {}) });
    throw error;
  }
  return [...flags, `CFP=${level}`];
}

/**
 * NOVA's aarch64 BOARD for a platform (reference/nova.md §9: `make ARCH=aarch64 BOARD=<name>`):
 * `qemu` for QEMU's `virt` machine, `acpi` (NOVA's default) for a machine described by ACPI. Any
 * other device-tree machine needs its own board port, which Novakit cannot name for it.
 */
export function novaBoard(platform: Platform): string {
  if (platform.name.startsWith("qemu-virt")) return "qemu";
  if (platform.firmware.kind === "acpi") return "acpi";
  throw new NovakitError(
    CLI_CODES.noNovaBoard,
    `no NOVA aarch64 board is known for platform ${platform.name}: NOVA builds for QEMU virt (BOARD=qemu), ACPI machines (BOARD=acpi) and the SoCs its README lists`,
    { field: "platform" },
    "boot it in the simulator as it is; for a NOVA image, pick the BOARD of its SoC by hand",
  );
}
