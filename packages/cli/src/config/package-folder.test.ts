import { describe, expect, it } from "vitest";
import { makeProject } from "../test-support/cli-harness.js";
import { pluginRequests } from "./plugin-references.js";

const plugin = (name: string) => `export default { name: "${name}", version: "1.0.0", kind: "exporter", register() {} };\n`;

async function loadedNames(dir: string, reference: string): Promise<string[]> {
  const requests = await pluginRequests({ arch: "x86_64", platform: "p", domains: [], plugins: [reference] }, dir, "c.json");
  return requests.map((request) => request.plugin.name);
}

describe("a plugin path that names a package folder", () => {
  it("imports the folder through its package.json exports (self-reference), from a config elsewhere", async () => {
    const dir = await makeProject({
      "vendor/my-plugin/package.json": JSON.stringify({ name: "my-plugin", type: "module", exports: { ".": "./lib/entry.mjs" } }),
      "vendor/my-plugin/lib/entry.mjs": plugin("my-plugin-from-exports"),
      // a decoy: an index file that the exports map does not name must not be used
      "vendor/my-plugin/index.mjs": plugin("wrong-index"),
    });
    expect(await loadedNames(`${dir}/configs/x`, "../../vendor/my-plugin")).toEqual(["my-plugin-from-exports", "@novakit/arch-x86_64", "@novakit/scheduler"]);
  });

  it("uses `main` when the package has no exports map", async () => {
    const dir = await makeProject({
      "p/package.json": JSON.stringify({ name: "p", type: "module", main: "./main.mjs" }),
      "p/main.mjs": plugin("from-main"),
    });
    expect((await loadedNames(dir, "./p"))[0]).toBe("from-main");
  });

  it("falls back to index.* when package.json names neither exports nor main", async () => {
    const dir = await makeProject({ "p/package.json": JSON.stringify({ name: "p", type: "module" }), "p/index.mjs": plugin("from-index") });
    expect((await loadedNames(dir, "./p"))[0]).toBe("from-index");
  });

  it("reports an unreadable package.json as NK-PLG-022 naming it", async () => {
    const dir = await makeProject({ "p/package.json": "{ not json" });
    await expect(loadedNames(dir, "./p")).rejects.toMatchObject({
      code: "NK-PLG-022",
      location: { file: "c.json", field: "plugins[0]" },
      message: expect.stringContaining("p/package.json cannot be read"),
    });
  });

  it("says what it looked for when nothing is there", async () => {
    const dir = await makeProject();
    await expect(loadedNames(dir, "./absent")).rejects.toMatchObject({
      code: "NK-PLG-020",
      message: expect.stringMatching(/plugin file \.\/absent not found \(looked for .*absent\{,\.ts,.*\/index\.mjs\} and a package\.json there\)/),
    });
  });
});
