import { isAbsolute, resolve } from "node:path";
import { NovakitError, type PluginRequest, type ResolvedPlugin } from "@novakit/kernel-core";
import { LaunchDiagnostic, TXT_LAUNCH_PLUGIN_NAME, txtLaunchOptionsSchema, type HashAlgorithm, type TxtLaunchOptions } from "@novakit/txt-launch";
import { CLI_CODES } from "../args/cli-codes.js";
import type { PreparedConfiguration } from "../config/prepare-configuration.js";

const BANKS: readonly HashAlgorithm[] = ["sha1", "sha256", "sha384", "sha512"];

/** The configuration's @novakit/txt-launch entry, or a clear error saying the configuration has none. */
export function launchPluginOf(prepared: PreparedConfiguration, command: string): ResolvedPlugin {
  const entry = prepared.plugins.find((resolved) => resolved.plugin.name === TXT_LAUNCH_PLUGIN_NAME);
  if (entry === undefined) {
    throw new NovakitError(
      LaunchDiagnostic.NO_LAUNCH_PLUGIN,
      `${command}: the configuration has no measured launch: add the ${TXT_LAUNCH_PLUGIN_NAME} plugin`,
      { file: prepared.source.label, field: "plugins" },
      `plugins: [{ name: "${TXT_LAUNCH_PLUGIN_NAME}", options: { method: "auto" } }]`,
    );
  }
  return entry;
}

/** The plugin's parsed options with command-line overrides (paths made absolute against the working directory). */
export function launchOptionsWith(entry: ResolvedPlugin, overrides: { readonly mle?: string; readonly root?: string; readonly tpm?: string }, cwd: string): TxtLaunchOptions {
  const parsed = txtLaunchOptionsSchema.parse(entry.options ?? {});
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));
  return {
    ...parsed,
    ...(overrides.mle !== undefined ? { mle: absolute(overrides.mle) } : {}),
    ...(overrides.root !== undefined ? { root: absolute(overrides.root) } : {}),
    ...(overrides.tpm !== undefined ? { tpm: overrides.tpm } : {}),
  };
}

/** The plugin requests with the launch plugin's raw options replaced (boot --tpm). */
export function requestsWithLaunchOptions(requests: readonly PluginRequest[], options: Readonly<Record<string, unknown>>): PluginRequest[] {
  return requests.map((request) => {
    if (request.plugin.name !== TXT_LAUNCH_PLUGIN_NAME) return request;
    const raw = typeof request.options === "object" && request.options !== null ? (request.options as Record<string, unknown>) : {};
    return { ...request, options: { ...raw, ...options } };
  });
}

/** `--banks sha1,sha256`: the banks to predict (default: all four, as swtpm and the embedded TPM allocate). */
export function parseBanks(command: string, text: string | undefined): HashAlgorithm[] {
  if (text === undefined) return [...BANKS];
  const names = text.split(",").map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(BANKS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new NovakitError(CLI_CODES.badOptionValue, `${command}: --banks expects a comma-separated list of sha1, sha256, sha384, sha512, got "${text}"`);
  }
  return BANKS.filter((bank) => names.includes(bank));
}
