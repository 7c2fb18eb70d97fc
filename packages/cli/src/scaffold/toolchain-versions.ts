import { readFileSync } from "node:fs";

/**
 * Dev tool versions a generated plugin package pins: the ones this repository is built and tested
 * with (root package.json devDependencies; reference/toolchain.md says why these). A test compares
 * them with the root package.json, so a toolchain upgrade cannot leave the scaffold behind.
 */
export const SCAFFOLD_DEV_TOOL_VERSIONS = Object.freeze({
  "@types/node": "20.19.43",
  typescript: "6.0.3",
  vitest: "4.1.12",
} as const);

/** Versions of the packages a plugin builds on, as this CLI was released with them. */
export interface PluginDependencyVersions {
  /** @novakit/kernel-core, exact ("0.1.0"); the generated peer range is its caret range */
  readonly kernelCore: string;
  /** zod, exact: the plugin's options schema must be a ZodType of the same zod kernel-core uses */
  readonly zod: string;
}

/**
 * Read from the CLI's own package.json (one level above src/ and dist/ alike): the CLI pins the
 * exact kernel-core and zod it was built against, which are the ones a new plugin should target.
 */
export function pluginDependencyVersions(): PluginDependencyVersions {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const kernelCore = manifest.dependencies?.["@novakit/kernel-core"];
  const zod = manifest.dependencies?.["zod"];
  if (kernelCore === undefined || zod === undefined) {
    // the CLI's own manifest is not user input: a missing entry is a packaging bug
    throw new Error("@novakit/cli's package.json lacks its @novakit/kernel-core or zod dependency");
  }
  return { kernelCore, zod };
}
