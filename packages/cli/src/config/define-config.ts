import type { NovakitConfigFile } from "./arch-targets.js";

/**
 * Identity helper with full types for novakit.config.ts, as vite's defineConfig. Unlike
 * kernel-core's (one arch, what a kernel is created from) it also accepts a portable
 * configuration: `targets` per arch, `arch` then optional (the default).
 */
export function defineConfig(config: NovakitConfigFile): NovakitConfigFile {
  return config;
}
