import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every plugin reference of a configuration value: top level and every `targets.<arch>.plugins`. */
export function pluginReferenceNames(value: unknown): string[] {
  if (!isRecord(value)) return [];
  const lists: unknown[] = [value["plugins"]];
  const targets = value["targets"];
  if (isRecord(targets)) for (const target of Object.values(targets)) if (isRecord(target)) lists.push(target["plugins"]);
  const names: string[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const name = typeof entry === "string" ? entry : isRecord(entry) ? entry["name"] : undefined;
      if (typeof name === "string" && name !== "") names.push(name);
    }
  }
  return names;
}

/**
 * The workspace packages a configuration loads as plugins (by path, or by name when the name
 * resolves to a folder of this workspace): their project names, so that a change to such a
 * plugin makes the example affected and is part of its targets' hash (through ^production).
 * Plugins from the registry are not workspace projects and are left out: their version is in
 * the lockfile, which Nx hashes on its own.
 */
export function pluginProjectDependencies(workspaceRoot: string, configDir: string, references: readonly string[]): string[] {
  const names = new Set<string>();
  for (const reference of references) {
    const folder = reference.startsWith(".") || isAbsolute(reference) ? resolve(workspaceRoot, configDir, reference) : join(workspaceRoot, "node_modules", ...reference.split("/"));
    const name = workspacePackageName(workspaceRoot, folder);
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}

/** The package.json name of `folder` when it is (or links to) a package inside the workspace, outside node_modules. */
function workspacePackageName(workspaceRoot: string, folder: string): string | undefined {
  if (!existsSync(join(folder, "package.json"))) return undefined;
  const real = realpathSync(folder);
  const inside = relative(realpathSync(workspaceRoot), real);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside) || inside.split(sep).includes("node_modules")) return undefined;
  try {
    const packageJson = JSON.parse(readFileSync(join(real, "package.json"), "utf8")) as { name?: unknown };
    return typeof packageJson.name === "string" ? packageJson.name : undefined;
  } catch {
    return undefined;
  }
}
