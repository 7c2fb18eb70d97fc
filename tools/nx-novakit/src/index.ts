import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { CreateNodes, CreateNodesContext, CreateNodesResultArray } from "nx/src/devkit-exports.js";
import { archesOfModuleText, archesOfValue, type ConfigArches } from "./config-arches.js";
import { exampleProject } from "./example-project.js";
import { pluginProjectDependencies, pluginReferenceNames } from "./plugin-dependencies.js";

/**
 * nx-novakit: a local Nx inference plugin (like @nx/vite infers from vite.config.ts). Every
 * folder examples/configs/<name>/ holding a novakit configuration becomes the Nx project <name>
 * with `check` and `boot` targets, one configuration per arch it supports.
 */
export const name = "nx-novakit";

/** The configuration files novakit looks for, in its own order (packages/cli/src/config/find-config-file.ts). */
const CONFIG_FILE_ORDER = Object.freeze(["novakit.config.ts", "novakit.config.json"]);
export const EXAMPLE_CONFIG_GLOB = "examples/configs/*/novakit.config.{json,ts}";

/** The arches and workspace plugin projects of one configuration file, read without executing it. */
export function readExampleConfig(workspaceRoot: string, file: string): { arches: ConfigArches; pluginProjects: string[] } {
  const text = readFileSync(join(workspaceRoot, file), "utf8");
  if (!file.endsWith(".json")) return { arches: archesOfModuleText(text), pluginProjects: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // still a project: its `check` target is what reports the syntax error
    return { arches: { arches: [] }, pluginProjects: [] };
  }
  return { arches: archesOfValue(value), pluginProjects: pluginProjectDependencies(workspaceRoot, dirname(file), pluginReferenceNames(value)) };
}

/** Of several configuration files in one folder, the one novakit would load. */
function loadedByNovakit(file: string, all: readonly string[]): boolean {
  const rank = (candidate: string) => CONFIG_FILE_ORDER.indexOf(basename(candidate));
  return !all.some((other) => other !== file && dirname(other) === dirname(file) && rank(other) < rank(file));
}

export function createExampleProjects(files: readonly string[], _options: unknown, context: CreateNodesContext): CreateNodesResultArray {
  return files
    .filter((file) => loadedByNovakit(file, files))
    .map((file) => {
      const root = dirname(file);
      const project = exampleProject({ root, ...readExampleConfig(context.workspaceRoot, file) });
      return [file, { projects: { [root]: project } }] as const;
    });
}

export const createNodes: CreateNodes = [EXAMPLE_CONFIG_GLOB, createExampleProjects];
/** The same, under the name Nx 20-23 look for. */
export const createNodesV2: CreateNodes = createNodes;
