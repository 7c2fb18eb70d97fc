import type { ProjectConfiguration, TargetConfiguration } from "nx/src/devkit-exports.js";
import type { ConfigArches } from "./config-arches.js";

/** The novakit commands an example gets a target for. */
export const EXAMPLE_TARGETS = Object.freeze(["check", "boot"] as const);
export type ExampleTarget = (typeof EXAMPLE_TARGETS)[number];

/** The CLI project every example runs; its build is what the targets execute. */
export const CLI_PROJECT = "@novakit/cli";
/** The compiled CLI, relative to the workspace root (built by the `^build` dependency). */
export const CLI_BIN = "packages/cli/bin/novakit.js";

/** What one example's project looks like to Nx. */
export interface ExampleProjectInput {
  /** the folder, relative to the workspace root (e.g. examples/configs/two-domains) */
  readonly root: string;
  readonly arches: ConfigArches;
  /** workspace plugin packages the configuration loads, besides the CLI */
  readonly pluginProjects: readonly string[];
}

/** `novakit check` fails on any error; `boot` leaves out the boot log (the summary stays). */
function commandFor(target: ExampleTarget, root: string, arch: string | undefined): string {
  const archOption = arch === undefined ? "" : ` --arch ${arch}`;
  return `node ${CLI_BIN} ${target} ${root}${archOption}${target === "boot" ? " --quiet" : ""}`;
}

/**
 * A cacheable target running the compiled CLI on the example, with one configuration per arch
 * the example supports. Inputs: the example's own files (default), the production files of the
 * CLI and everything it depends on (^production, through the implicit dependency), the Node
 * version (the simulator's output is Node-independent, but a cache hit should not hide a
 * runtime change) and the shared globals. The CLI exits 1 (check failed) or 2 (input error)
 * and Nx fails the task on either.
 */
export function exampleTarget(target: ExampleTarget, input: ExampleProjectInput): TargetConfiguration {
  const { arches, defaultArch } = input.arches;
  const configurations = Object.fromEntries(arches.map((arch) => [arch, { command: commandFor(target, input.root, arch) }]));
  return {
    executor: "nx:run-commands",
    cache: true,
    inputs: ["default", "^production", { runtime: "node --version" }],
    outputs: [],
    dependsOn: ["^build"],
    options: { command: commandFor(target, input.root, defaultArch), cwd: "{workspaceRoot}" },
    ...(arches.length > 0 ? { configurations } : {}),
    ...(defaultArch === undefined ? {} : { defaultConfiguration: defaultArch }),
    metadata: {
      description: `novakit ${target} ${input.root}${arches.length > 0 ? ` (configurations: ${arches.join(", ")})` : ""}`,
      technologies: ["novakit"],
    },
  };
}

/**
 * The project of one example configuration: named after its folder, tagged `arch:<arch>` for
 * every arch it supports (so a CI job can select `tag:arch:aarch64`), implicitly dependent on the
 * CLI and the workspace plugins it loads, with a check and a boot target.
 */
export function exampleProject(input: ExampleProjectInput): ProjectConfiguration & { readonly name: string } {
  const name = input.root.split("/").at(-1) ?? input.root;
  return {
    name,
    root: input.root,
    projectType: "application",
    tags: ["novakit-example", ...input.arches.arches.map((arch) => `arch:${arch}`)],
    implicitDependencies: [CLI_PROJECT, ...input.pluginProjects.filter((project) => project !== CLI_PROJECT)],
    targets: Object.fromEntries(EXAMPLE_TARGETS.map((target) => [target, exampleTarget(target, input)])),
  };
}
