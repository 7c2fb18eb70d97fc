import { readFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { NovakitError, type Arch } from "@novakit/kernel-core";
import { selectArchTarget } from "./arch-targets.js";
import { defaultConfig } from "../defaults/default-config.js";
import { CONFIG_CODES } from "./config-codes.js";
import { findConfigFile } from "./find-config-file.js";
import { importModule } from "./import-module.js";
import { parseJsonText } from "./json-syntax-error.js";
import { esModuleExports } from "./module-exports.js";

/** A configuration as read, before validation. */
export interface ConfigSource {
  /** the value the file exports (or the JSON it holds), not yet validated */
  readonly value: unknown;
  /** absolute path; undefined for the built-in default configuration */
  readonly path?: string;
  /** how messages name it: the path relative to the working directory */
  readonly label: string;
  /** plugin and profile paths are relative to this directory */
  readonly dir: string;
}

export const BUILT_IN_CONFIG_LABEL = "built-in default configuration";

/**
 * Finds and reads the configuration: a named file or directory, else novakit.config.* in the
 * working directory, else the built-in default configuration. `arch` (the `--arch` option)
 * selects one arch of a portable configuration, or must equal a fixed one (arch-targets.ts); the
 * value returned is then a plain one-arch configuration.
 */
export async function readConfigSource(cwd: string, named: string | undefined, arch?: Arch): Promise<ConfigSource> {
  const path = findConfigFile(cwd, named);
  if (path === undefined) return { value: selectArchTarget(defaultConfig, BUILT_IN_CONFIG_LABEL, arch), label: BUILT_IN_CONFIG_LABEL, dir: cwd };
  const label = relative(cwd, path) || path;
  return { value: selectArchTarget(await readConfigValue(path, label), label, arch), path, label, dir: dirname(path) };
}

async function readConfigValue(path: string, label: string): Promise<unknown> {
  if (path.endsWith(".json")) return parseJsonText(await readFile(path, "utf8"), label);
  let namespace: Record<string, unknown>;
  try {
    namespace = esModuleExports(await importModule(path, dirname(path)));
  } catch (error) {
    if (error instanceof NovakitError) throw error;
    const reason = firstLine(error);
    const hint = reason.includes("@novakit/cli")
      ? "install the CLI in the project so the configuration can import it: npm install --save-dev @novakit/cli"
      : undefined;
    throw new NovakitError(CONFIG_CODES.moduleFailed, `cannot load the configuration module: ${reason}`, { file: label }, hint);
  }
  const value = namespace["default"];
  if (value === undefined) {
    throw new NovakitError(
      CONFIG_CODES.noDefaultExport,
      "the configuration module has no default export",
      { file: label },
      'write `export default defineConfig({ ... })` (import { defineConfig } from "@novakit/cli")',
    );
  }
  return value;
}

/** The first line of an error's message: the esbuild or runtime error without the code frame. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? message;
}
