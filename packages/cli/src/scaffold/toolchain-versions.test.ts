import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pluginDependencyVersions, SCAFFOLD_DEV_TOOL_VERSIONS } from "./toolchain-versions.js";

const readJson = (relative: string): { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));

describe("the versions a generated plugin pins", () => {
  it("are the repository's dev tools", () => {
    const root = readJson("../../../../package.json");
    for (const [tool, version] of Object.entries(SCAFFOLD_DEV_TOOL_VERSIONS)) expect([tool, root.devDependencies?.[tool]]).toEqual([tool, version]);
  });

  it("are kernel-core's own version and the zod kernel-core uses", () => {
    const kernelCore = readJson("../../../kernel-core/package.json");
    expect(pluginDependencyVersions()).toEqual({ kernelCore: kernelCore.version, zod: kernelCore.dependencies?.["zod"] });
  });
});
