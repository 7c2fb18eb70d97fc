import { describe, expect, it } from "vitest";
import { NovakitError } from "@novakit/kernel-core";
import { makeProject } from "../test-support/cli-harness.js";
import { readConfigSource } from "./load-config.js";
import { validateConfig } from "./validate-config.js";
import { pluginRequests } from "./plugin-references.js";

describe("loading configurations", () => {
  it("loads novakit.config.ts with defineConfig from @novakit/cli, from any directory", async () => {
    const dir = await makeProject({
      "novakit.config.ts": `import { defineConfig } from "@novakit/cli";
const memory: number = 8;
export default defineConfig({ arch: "x86_64", platform: "qemu-q35-amd-iommu", domains: [
  { name: "a", kind: "native", memoryMiB: memory, vcpus: 1, priority: 1, budgetMs: 1, workload: "busy-loop" }] });`,
    });
    const source = await readConfigSource(dir, undefined);
    expect(source.label).toBe("novakit.config.ts");
    const { config, errors } = validateConfig(source.value, source.label);
    expect(errors).toEqual([]);
    expect(config?.domains[0]?.memoryMiB).toBe(8);
  });

  it("reports a module without a default export", async () => {
    const dir = await makeProject({ "novakit.config.mjs": "export const config = {};\n" });
    await expect(readConfigSource(dir, undefined)).rejects.toMatchObject({ code: "NK-CFG-004", location: { file: "novakit.config.mjs" } });
  });

  it("reports a TypeScript syntax error as NK-CFG-003 with its first line", async () => {
    const dir = await makeProject({ "novakit.config.ts": "export default { arch: \"x86_64\",, };\n" });
    await expect(readConfigSource(dir, undefined)).rejects.toMatchObject({
      code: "NK-CFG-003",
      location: { file: "novakit.config.ts" },
      message: expect.stringMatching(/^cannot load the configuration module: /),
    });
  });

  it("rejects a module that exports two plugins and no default", async () => {
    const plugin = (name: string) => `{ name: "${name}", version: "1.0.0", kind: "exporter", register() {} }`;
    const dir = await makeProject({ "two.mjs": `export const a = ${plugin("a")};\nexport const b = ${plugin("b")};\n` });
    await expect(pluginRequests({ arch: "x86_64", platform: "p", domains: [], plugins: ["./two.mjs"] }, dir, "c.json")).rejects.toMatchObject({
      code: "NK-PLG-023",
      message: "module ./two.mjs exports several plugins (a, b) and no default",
    });
  });

  it("adds the default arch and scheduler plugins unless disabled or replaced", async () => {
    const base = { arch: "x86_64" as const, platform: "p", domains: [] };
    const names = async (plugins: unknown[]) =>
      (await pluginRequests({ ...base, plugins } as never, "/", "c.json")).map((request) => request.plugin.name);
    expect(await names([])).toEqual(["@novakit/arch-x86_64", "@novakit/scheduler"]);
    expect(await names([{ name: "@novakit/scheduler", enabled: false }])).toEqual(["@novakit/arch-x86_64"]);
    expect(await names(["@novakit/iommu-amd"])).toEqual(["@novakit/iommu-amd", "@novakit/arch-x86_64", "@novakit/scheduler"]);
  });

  it("loads a plugin by path relative to the config file (default or named export)", async () => {
    const dir = await makeProject({
      "plugins/named.mjs": `export const myPlugin = { name: "my-plugin", version: "0.0.1", kind: "exporter", register() {} };\n`,
    });
    const requests = await pluginRequests({ arch: "x86_64", platform: "p", domains: [], plugins: ["./plugins/named"] }, dir, "c.json");
    expect(requests[0]?.plugin.name).toBe("my-plugin");
    expect(requests[0]?.source).toBe("c.json: plugins[0]");
  });

  it("names the file and field of a missing package", async () => {
    const dir = await makeProject();
    const error = await pluginRequests({ arch: "x86_64", platform: "p", domains: [], plugins: ["novakit-plugin-nope"] }, dir, "c.json").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NovakitError);
    expect(error).toMatchObject({ code: "NK-PLG-020", location: { file: "c.json", field: "plugins[0]" } });
  });
});
