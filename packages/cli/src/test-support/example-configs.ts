import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's examples/ folder: example configurations and third-party example plugins. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../../../examples/", import.meta.url));
export const EXAMPLE_CONFIGS_DIR = join(EXAMPLES_DIR, "configs");
export const EXAMPLE_PLUGINS_DIR = join(EXAMPLES_DIR, "plugins");

/**
 * Links a package folder into `projectDir/node_modules/<name>`, the way `npm install <name>`
 * would make it resolvable by name from that project (makeProject links only @novakit/cli).
 */
export async function linkPackage(projectDir: string, name: string, folder: string): Promise<void> {
  const target = join(projectDir, "node_modules", ...name.split("/"));
  await mkdir(join(target, ".."), { recursive: true });
  await symlink(folder, target, "dir");
}

/**
 * Runs `body` with the process's working directory set to `dir`, then restores it. Needed where a
 * plugin resolves a relative option against process.cwd() (the fault exporter's `path`), which
 * the CLI's io.cwd does not change. Tests of one file run one after another, so this is safe.
 */
export async function inWorkingDirectory<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return await body();
  } finally {
    process.chdir(previous);
  }
}
