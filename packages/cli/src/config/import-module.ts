import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

/**
 * Imports a module (an absolute path, or a package name resolved from `fromDirectory` with
 * Node's ESM rules) through tsx's tsImport. It compiles TypeScript, and whatever that imports,
 * in its own namespace, so it works from any working directory, under the compiled CLI, under
 * the tsx dev bin and inside vitest alike; a new namespace per call also means an edited file is
 * read afresh. tsx itself is resolved from this package, not from the user's directory.
 */
export async function importModule(specifier: string, fromDirectory: string): Promise<Record<string, unknown>> {
  const target = specifier.startsWith("/") ? pathToFileURL(specifier).href : specifier;
  // The parent is a (possibly non-existent) file in the directory: resolution walks up from it.
  const parentURL = pathToFileURL(join(fromDirectory, "novakit-import-parent.js")).href;
  const namespace: unknown = await tsImport(target, { parentURL });
  return namespace as Record<string, unknown>;
}
