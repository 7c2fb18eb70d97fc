import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// typedoc.json (`npm run docs`, the API reference in docs/api) documents the public entry of every
// library package. Running typedoc takes a minute, so CI runs it; this keeps its configuration
// in step with the packages.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** Not libraries a plugin author builds on: the CLI's index serves config files, fuzz is a tool. */
const NOT_DOCUMENTED = ["cli", "fuzz"];

describe("typedoc.json", () => {
  const config = JSON.parse(readFileSync(join(repoRoot, "typedoc.json"), "utf8")) as { entryPoints: string[]; out: string; readme: string };

  it("documents every library package's src/index.ts, and only files that exist", () => {
    const libraries = readdirSync(join(repoRoot, "packages"))
      .filter((name) => !NOT_DOCUMENTED.includes(name) && existsSync(join(repoRoot, "packages", name, "src", "index.ts")))
      .map((name) => `packages/${name}/src/index.ts`);
    expect([...config.entryPoints].sort()).toEqual(libraries.sort());
  });

  it("writes docs/api, which git ignores, and opens with docs/plugins.md", () => {
    expect(config.out).toBe("docs/api");
    expect(readFileSync(join(repoRoot, ".gitignore"), "utf8").split("\n")).toContain("/docs/api/");
    expect(existsSync(join(repoRoot, config.readme))).toBe(true);
  });
});
