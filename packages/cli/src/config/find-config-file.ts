import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { CONFIG_CODES } from "./config-codes.js";

/** Searched in this order in the working directory when no file is named. */
export const CONFIG_FILE_NAMES = Object.freeze(["novakit.config.ts", "novakit.config.mts", "novakit.config.js", "novakit.config.mjs", "novakit.config.json"]);
export const CONFIG_EXTENSIONS = Object.freeze([".ts", ".mts", ".js", ".mjs", ".json"]);

/**
 * The configuration file to use: the named one (a file, or a directory to search), else the
 * first of CONFIG_FILE_NAMES in `cwd`. Undefined when nothing was named and nothing is found:
 * the commands then use the built-in default configuration.
 */
export function findConfigFile(cwd: string, named: string | undefined): string | undefined {
  if (named === undefined) return CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
  const path = resolve(cwd, named);
  if (!existsSync(path)) {
    throw new NovakitError(CONFIG_CODES.fileNotFound, `configuration file not found`, { file: named }, "run `novakit init` to write one");
  }
  if (statSync(path).isDirectory()) {
    const found = CONFIG_FILE_NAMES.map((name) => join(path, name)).find((candidate) => existsSync(candidate));
    if (found === undefined) {
      throw new NovakitError(
        CONFIG_CODES.fileNotFound,
        `no ${CONFIG_FILE_NAMES.join(", ")} in this directory`,
        { file: named },
        "run `novakit init` there to write one",
      );
    }
    return found;
  }
  if (!CONFIG_EXTENSIONS.some((extension) => path.endsWith(extension))) {
    throw new NovakitError(
      CONFIG_CODES.unsupportedExtension,
      `unsupported configuration file type (expected ${CONFIG_EXTENSIONS.join(", ")})`,
      { file: named },
    );
  }
  return path;
}
