import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exampleProject } from "./example-project.js";
import { createExampleProjects, EXAMPLE_CONFIG_GLOB } from "./index.js";
import { pluginProjectDependencies, pluginReferenceNames } from "./plugin-dependencies.js";

const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));

describe("exampleProject", () => {
  const portable = exampleProject({ root: "examples/configs/p", arches: { arches: ["aarch64", "x86_64"], defaultArch: "aarch64" }, pluginProjects: [] });

  it("a check and a boot target, one configuration per arch, the default as defaultConfiguration", () => {
    expect(Object.keys(portable.targets ?? {})).toEqual(["check", "boot"]);
    const boot = portable.targets?.["boot"];
    expect(boot?.configurations).toEqual({
      aarch64: { command: "node packages/cli/bin/novakit.js boot examples/configs/p --arch aarch64 --quiet" },
      x86_64: { command: "node packages/cli/bin/novakit.js boot examples/configs/p --arch x86_64 --quiet" },
    });
    expect(boot?.defaultConfiguration).toBe("aarch64");
    expect(boot?.options).toMatchObject({ command: "node packages/cli/bin/novakit.js boot examples/configs/p --arch aarch64 --quiet" });
    expect(portable.targets?.["check"]?.configurations?.["x86_64"]).toEqual({ command: "node packages/cli/bin/novakit.js check examples/configs/p --arch x86_64" });
  });

  it("cacheable, hashed on the example, the CLI's dependency closure and the Node version, after the CLI's build", () => {
    for (const target of Object.values(portable.targets ?? {})) {
      expect(target.cache).toBe(true);
      expect(target.inputs).toEqual(["default", "^production", { runtime: "node --version" }]);
      expect(target.dependsOn).toEqual(["^build"]);
    }
    expect(portable.implicitDependencies).toEqual(["@novakit/cli"]);
  });

  it("named after its folder, tagged per arch", () => {
    expect(portable.name).toBe("p");
    expect(portable.tags).toEqual(["novakit-example", "arch:aarch64", "arch:x86_64"]);
  });

  it("a configuration whose arches cannot be read: targets without configurations, running novakit's own default", () => {
    const unknown = exampleProject({ root: "examples/configs/q", arches: { arches: [] }, pluginProjects: [] });
    expect(unknown.targets?.["boot"]?.configurations).toBeUndefined();
    expect(unknown.targets?.["boot"]?.defaultConfiguration).toBeUndefined();
    expect(unknown.targets?.["boot"]?.options).toMatchObject({ command: "node packages/cli/bin/novakit.js boot examples/configs/q --quiet" });
  });
});

describe("plugin references as project dependencies", () => {
  it("reads top-level and per-target plugin names", () => {
    expect(pluginReferenceNames({ plugins: ["a", { name: "b" }], targets: { x86_64: { plugins: [{ name: "c", options: {} }] } } })).toEqual(["a", "b", "c"]);
  });
  it("workspace packages by path or by name become dependencies; registry packages and missing paths do not", () => {
    const deps = pluginProjectDependencies(WORKSPACE, "examples/configs/third-party-plugins", ["novakit-plugin-fault-exporter", "../../plugins/edf-scheduler", "vite", "./missing"]);
    expect(deps).toEqual(["novakit-plugin-edf-scheduler", "novakit-plugin-fault-exporter"]);
  });
});

describe("createExampleProjects on the repository", () => {
  it("one project per example folder, the file novakit loads winning when a folder has two", () => {
    const results = createExampleProjects(
      ["examples/configs/two-domains/novakit.config.json", "examples/configs/x86-typescript/novakit.config.ts", "examples/configs/third-party-plugins/novakit.config.json"],
      undefined,
      { workspaceRoot: WORKSPACE, nxJsonConfiguration: {} },
    );
    const projects = Object.fromEntries(results.flatMap(([, result]) => Object.entries(result.projects ?? {})));
    expect(Object.keys(projects)).toEqual(["examples/configs/two-domains", "examples/configs/x86-typescript", "examples/configs/third-party-plugins"]);
    expect(Object.keys(projects["examples/configs/two-domains"]?.targets?.["boot"]?.configurations ?? {})).toEqual(["x86_64", "aarch64"]);
    expect(Object.keys(projects["examples/configs/x86-typescript"]?.targets?.["boot"]?.configurations ?? {})).toEqual(["x86_64"]);
    expect(projects["examples/configs/third-party-plugins"]?.implicitDependencies).toEqual(["@novakit/cli", "novakit-plugin-edf-scheduler", "novakit-plugin-fault-exporter"]);
    expect(EXAMPLE_CONFIG_GLOB).toBe("examples/configs/*/novakit.config.{json,ts}");
  });

  it("when a folder holds novakit.config.ts and .json, only the .ts (what novakit loads) makes the project", async () => {
    const workspace = await mkdtemp(join(tmpdir(), "nx-novakit-"));
    try {
      await mkdir(join(workspace, "examples/configs/dual"), { recursive: true });
      await writeFile(join(workspace, "examples/configs/dual/novakit.config.ts"), 'export default { arch: "aarch64" };');
      await writeFile(join(workspace, "examples/configs/dual/novakit.config.json"), '{ "arch": "x86_64" }');
      const results = createExampleProjects(["examples/configs/dual/novakit.config.json", "examples/configs/dual/novakit.config.ts"], undefined, {
        workspaceRoot: workspace,
        nxJsonConfiguration: {},
      });
      expect(results.map(([file]) => file)).toEqual(["examples/configs/dual/novakit.config.ts"]);
      expect(results[0]?.[1].projects?.["examples/configs/dual"]?.tags).toEqual(["novakit-example", "arch:aarch64"]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
