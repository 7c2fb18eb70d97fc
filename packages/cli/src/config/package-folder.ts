import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { PLUGIN_LOAD_CODES } from "./config-codes.js";

/** How to import a plugin that a path names as a package folder. */
export interface PackageFolderImport {
  /** what to import: the package's own name (self-reference) or its `main` file */
  readonly specifier: string;
  /** the directory to resolve `specifier` from */
  readonly fromDirectory: string;
}

interface PackageJsonFields {
  readonly name?: unknown;
  readonly exports?: unknown;
  readonly main?: unknown;
}

/**
 * A plugin path that names a folder with a package.json (a plugin checked out next to the
 * configuration, or a workspace package) is imported the way an installed package would be:
 * through the package's own name, resolved from inside the folder (Node's package
 * self-reference), so its `exports` map picks the entry under the active conditions (source in
 * development, dist when compiled). Without `exports`, its `main` file. Undefined when `folder` is
 * not such a folder, or names neither: the caller then looks for index.* files.
 */
export function packageFolderImport(folder: string, location: { file: string; field: string }): PackageFolderImport | undefined {
  const packageJsonPath = join(folder, "package.json");
  if (!existsSync(folder) || !statSync(folder).isDirectory() || !existsSync(packageJsonPath)) return undefined;
  let fields: PackageJsonFields;
  try {
    fields = JSON.parse(readFileSync(packageJsonPath, "utf8")) as PackageJsonFields;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NovakitError(PLUGIN_LOAD_CODES.moduleFailed, `plugin package ${packageJsonPath} cannot be read: ${reason}`, location);
  }
  // Self-reference only works for a named package with an exports map (Node's PACKAGE_SELF_RESOLVE).
  if (typeof fields.name === "string" && fields.name !== "" && fields.exports !== undefined && fields.exports !== null) {
    return { specifier: fields.name, fromDirectory: folder };
  }
  if (typeof fields.main === "string" && fields.main !== "") {
    return { specifier: resolve(folder, fields.main), fromDirectory: folder };
  }
  return undefined;
}
