import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { findNovakitRepository } from "./find-novakit-repository.js";
import { parsePluginPackageName } from "./package-name.js";
import { SCAFFOLD_CODES } from "./scaffold-codes.js";
import { scaffoldFiles } from "./scaffold-files.js";
import type { ScaffoldKind, TemplateContext } from "./template-context.js";
import { pluginDependencyVersions } from "./toolchain-versions.js";

export interface ScaffoldRequest {
  /** the npm package name, validated here */
  readonly name: string;
  readonly kind: ScaffoldKind;
  /** absolute path of the package directory; created when missing, must be empty when present */
  readonly directory: string;
}

export interface ScaffoldResult {
  readonly name: string;
  readonly kind: ScaffoldKind;
  readonly directory: string;
  /** paths relative to `directory`, POSIX separators, in the order written */
  readonly files: readonly string[];
  /** the Novakit repository the package was generated inside, if any */
  readonly repositoryRoot: string | undefined;
}

/** Refuses anything but a missing or empty directory: the scaffold never overwrites a file. */
function checkTarget(directory: string): void {
  if (!existsSync(directory)) return;
  if (!statSync(directory).isDirectory()) {
    throw new NovakitError(SCAFFOLD_CODES.targetIsFile, `${directory} exists and is not a directory`, { file: directory }, "choose another --dir");
  }
  const entries = readdirSync(directory);
  if (entries.length > 0) {
    throw new NovakitError(
      SCAFFOLD_CODES.directoryNotEmpty,
      `${directory} is not empty (${entries.length} entr${entries.length === 1 ? "y" : "ies"}); refusing to overwrite`,
      { file: directory },
      "choose an empty or new directory with --dir",
    );
  }
}

/** The template inputs for a package at `directory`: inside the repository, paths to its root. */
export function templateContextFor(request: ScaffoldRequest): TemplateContext {
  const repository = findNovakitRepository(request.directory);
  return {
    name: parsePluginPackageName(request.name),
    kind: request.kind,
    versions: pluginDependencyVersions(),
    repositoryRoot: repository === undefined ? undefined : relative(request.directory, repository).split(sep).join("/"),
  };
}

/**
 * Generates a plugin package. Everything is validated and rendered before the first write, so a
 * bad name or a non-empty directory leaves nothing behind.
 */
export async function scaffoldPlugin(request: ScaffoldRequest): Promise<ScaffoldResult> {
  const context = templateContextFor(request);
  checkTarget(request.directory);
  const files = scaffoldFiles(context);
  for (const file of files) {
    // creates the directories it needs; a failure is NK-CLI-005 naming the file
    await writeFileAtomic(join(request.directory, ...file.path.split("/")), file.content);
  }
  const repositoryRoot = context.repositoryRoot === undefined ? undefined : join(request.directory, context.repositoryRoot);
  return { name: context.name.full, kind: request.kind, directory: request.directory, files: files.map((file) => file.path), repositoryRoot };
}
