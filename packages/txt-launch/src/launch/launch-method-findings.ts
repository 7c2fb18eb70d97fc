import { isNovakitError, NovakitError, type Platform, type ResolvedPlugin } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { TXT_LAUNCH_PLUGIN_NAME } from "../measure/composed-image.js";
import { resolveLaunchMethod, type LaunchMethodOption } from "../measure/launch-method.js";

/**
 * What `novakit check` reports about the measured launch: TXT asked for on an AMD CPU or SKINIT
 * on an Intel one (NK-TXT-002), or no launch method at all, and Intel TXT without SMX (NK-TXT-001).
 * Empty when the configuration has no txt-launch plugin.
 */
export function launchMethodFindings(plugins: readonly ResolvedPlugin[], platform: Platform): NovakitError[] {
  const entry = plugins.find((resolved) => resolved.plugin.name === TXT_LAUNCH_PLUGIN_NAME);
  if (entry === undefined) return [];
  const option = methodOption(entry.options);
  try {
    const method = resolveLaunchMethod(option, platform);
    if (method === "txt" && !platform.cpu.features.includes("SMX")) {
      return [new NovakitError(LaunchDiagnostic.NO_SMX, `${platform.cpu.name} has no SMX (CPUID.1:ECX[6]): Intel TXT cannot launch`, { field: `${entry.source}.options.method` })];
    }
    return [];
  } catch (error) {
    if (!isNovakitError(error)) throw error;
    return [new NovakitError(error.code, error.message, { ...error.location, field: `${entry.source}.options.method` }, error.hint)];
  }
}

function methodOption(options: unknown): LaunchMethodOption {
  const method = typeof options === "object" && options !== null ? (options as { readonly method?: unknown }).method : undefined;
  return method === "txt" || method === "skinit" ? method : "auto";
}
