import { BUILTIN_WORKLOADS, type NovakitPlugin } from "@novakit/kernel-core";
import { z } from "zod";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { ARCH_PACKAGE_EXPORTS, builtInPlugins } from "../plugins/built-in-plugins.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue, type JsonValue } from "../output/json-value.js";
import type { Command } from "./command.js";

interface ProfileEntry {
  readonly name: string;
  readonly description: string;
  readonly arch?: string;
}

/** Every arch package's `builtInProfiles`, read defensively (the CLI lists, it does not build them). */
function builtInProfiles(): ProfileEntry[] {
  return Object.entries(ARCH_PACKAGE_EXPORTS).flatMap(([arch, exports]) => {
    const list = exports["builtInProfiles"];
    if (!Array.isArray(list)) return [];
    return list
      .filter((entry): entry is ProfileEntry => typeof entry?.name === "string" && typeof entry?.description === "string")
      .map((entry) => ({ name: entry.name, description: entry.description, arch }));
  });
}

/** The plugin's options as JSON Schema (zod 4's converter), for people and tools. */
function optionsSchema(plugin: NovakitPlugin<unknown>): JsonValue {
  if (plugin.options === undefined) return null;
  try {
    return toJsonValue(z.toJSONSchema(plugin.options, { io: "input", unrepresentable: "any" }));
  } catch {
    return "(not representable as JSON Schema)";
  }
}

export function pluginCatalog(): JsonValue {
  return toJsonValue({
    plugins: builtInPlugins().map((plugin) => ({
      name: plugin.name,
      version: plugin.version,
      kind: plugin.kind,
      description: plugin.description ?? "",
      requires: plugin.requires ?? [],
      conflicts: plugin.conflicts ?? [],
      constraints: plugin.constraints ?? {},
      options: optionsSchema(plugin),
    })),
    profiles: builtInProfiles(),
    workloads: BUILTIN_WORKLOADS.map((workload) => ({ name: workload.name, description: workload.description })),
  });
}

export const pluginsCommand: Command = {
  name: "plugins",
  summary: "list built-in plugins, platform profiles and workloads",
  help: `Usage: novakit plugins [--json]

Lists the plugins that ship with novakit (kind, version, constraints, options), the built-in
platform profiles and the built-in workloads.

Options:
  --json     print { plugins, profiles, workloads } as JSON (options as JSON Schema)
  -h, --help show this help
`,
  async run(argv, io) {
    const { values } = parseCommandArgs("plugins", argv, { json: { type: "boolean" } }, 0);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const catalog = pluginCatalog() as unknown as {
      plugins: { name: string; version: string; kind: string; description: string; constraints: Record<string, string[]>; options: { properties?: Record<string, unknown> } | null }[];
      profiles: ProfileEntry[];
      workloads: ProfileEntry[];
    };
    if (values["json"] === true) {
      io.stdout(stableJsonText(catalog as never));
      return 0;
    }
    io.stdout("plugins:\n");
    for (const plugin of catalog.plugins) {
      const constraints = Object.entries(plugin.constraints).map(([key, list]) => `${key}=${list.join("|")}`).join(" ");
      const options = Object.keys(plugin.options?.properties ?? {}).join(", ");
      io.stdout(`  ${plugin.name}@${plugin.version} [${plugin.kind}] ${plugin.description}\n`);
      if (constraints !== "") io.stdout(`      constraints: ${constraints}\n`);
      if (options !== "") io.stdout(`      options: ${options}\n`);
    }
    io.stdout("profiles:\n");
    for (const profile of catalog.profiles) io.stdout(`  ${profile.name} (${profile.arch}): ${profile.description}\n`);
    io.stdout("workloads:\n");
    for (const workload of catalog.workloads) io.stdout(`  ${workload.name}: ${workload.description}\n`);
    return 0;
  },
};
