import type { NovakitConfig } from "../config/config-types.js";
import type { PluginRequest } from "../boot/kernel-api.js";
import type { Platform } from "../platform/platform.js";
import type { NovakitPlugin } from "./plugin-definition.js";
import { NotImplementedError } from "../errors/novakit-error.js";

export interface ResolvedPlugin {
  readonly plugin: NovakitPlugin<unknown>;
  /** options after the plugin's schema parsed them (defaults applied) */
  readonly options: unknown;
  readonly source: string;
}

/**
 * CONTRACT (owner: plugin host). Checks dependencies, conflicts, exactly one arch plugin, at
 * most one scheduler, the configured arch against constraints, and options; returns the
 * plugins in a deterministic order (dependencies first, ties by name). Throws NovakitError.
 */
export function resolvePlugins(_requests: readonly PluginRequest[], _config: NovakitConfig): ResolvedPlugin[] {
  throw new NotImplementedError("plugin resolution");
}

/** CONTRACT: after discover, vendor and CPU-feature constraints against the platform. */
export function checkPlatformConstraints(_plugins: readonly ResolvedPlugin[], _platform: Platform): void {
  throw new NotImplementedError("platform constraint check");
}
