import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { NovakitError, type NovakitConfig, type NovakitPlugin, type PluginRequest } from "@novakit/kernel-core";
import { builtInPlugin, DEFAULT_ARCH_PLUGIN, DEFAULT_SCHEDULER_PLUGIN } from "../plugins/built-in-plugins.js";
import { pluginExportOf } from "../plugins/is-plugin.js";
import { PLUGIN_LOAD_CODES } from "./config-codes.js";
import { firstLine } from "./load-config.js";
import { importModule } from "./import-module.js";
import { esModuleExports } from "./module-exports.js";
import { packageFolderImport } from "./package-folder.js";

const PATH_EXTENSIONS = ["", ".ts", ".mts", ".js", ".mjs", "/index.ts", "/index.mts", "/index.js", "/index.mjs"];

/**
 * Turns the configuration's plugin references into plugin requests for createKernel, and adds
 * the defaults: the arch plugin of `config.arch` and @novakit/scheduler, unless the
 * configuration names another plugin of that kind or disables the default
 * ({ name, enabled: false }). Built-in package names use the CLI's own plugins; other names are
 * resolved from the configuration's directory; "./x", "../x" and absolute paths are files
 * relative to it, or package folders (package.json: see package-folder.ts). Resolution rules
 * (dependencies, conflicts, ...) are kernel-core's resolvePlugins; this only finds the plugin
 * objects.
 */
export async function pluginRequests(config: NovakitConfig, configDir: string, configLabel: string): Promise<PluginRequest[]> {
  const requests: PluginRequest[] = [];
  const disabled = new Set<string>();
  for (const [index, reference] of (config.plugins ?? []).entries()) {
    const entry = typeof reference === "string" ? { name: reference } : reference;
    if (entry.enabled === false) {
      disabled.add(entry.name);
      continue;
    }
    const source = `${configLabel}: plugins[${index}]`;
    const plugin = builtInPlugin(entry.name) ?? (await loadPluginModule(entry.name, configDir, source));
    requests.push(entry.options === undefined ? { plugin, source } : { plugin, options: entry.options, source });
  }
  const defaults = [
    { kind: "arch", name: DEFAULT_ARCH_PLUGIN[config.arch] },
    { kind: "scheduler", name: DEFAULT_SCHEDULER_PLUGIN },
  ] as const;
  for (const { kind, name } of defaults) {
    if (disabled.has(name) || requests.some((request) => request.plugin.kind === kind)) continue;
    const plugin = builtInPlugin(name);
    // A built-in package that exports no plugin is a broken install, not a user mistake.
    if (plugin === undefined) throw new Error(`the built-in package ${name} exports no plugin`);
    requests.push({ plugin, source: `${configLabel}: plugins (default ${kind} plugin)` });
  }
  return requests;
}

function isPathReference(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || isAbsolute(name);
}

function locationOf(source: string): { file: string; field: string } {
  const separator = source.indexOf(": ");
  return { file: source.slice(0, separator), field: source.slice(separator + 2) };
}

async function loadPluginModule(name: string, configDir: string, source: string): Promise<NovakitPlugin<unknown>> {
  const location = locationOf(source);
  let specifier = name;
  let fromDirectory = configDir;
  if (isPathReference(name)) {
    const base = resolve(configDir, name);
    const packageFolder = packageFolderImport(base, location);
    if (packageFolder !== undefined) {
      ({ specifier, fromDirectory } = packageFolder);
    } else {
      const found = PATH_EXTENSIONS.map((extension) => `${base}${extension}`).find((path) => existsSync(path) && statSync(path).isFile());
      if (found === undefined) {
        throw new NovakitError(
          PLUGIN_LOAD_CODES.notFound,
          `plugin file ${name} not found (looked for ${base}{${PATH_EXTENSIONS.join(",")}} and a package.json there)`,
          location,
        );
      }
      specifier = found;
    }
  }
  let exports: Record<string, unknown>;
  try {
    exports = esModuleExports(await importModule(specifier, fromDirectory));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!isPathReference(name) && code === "ERR_MODULE_NOT_FOUND" && firstLine(error).includes(`'${name}'`)) {
      throw new NovakitError(
        PLUGIN_LOAD_CODES.notFound,
        `plugin package ${name} not found from ${configDir}`,
        location,
        `install it (npm install ${name}) or check the spelling; built-in plugins: novakit plugins`,
      );
    }
    throw new NovakitError(PLUGIN_LOAD_CODES.moduleFailed, `plugin ${name} failed to load: ${firstLine(error)}`, location);
  }
  const found = pluginExportOf(exports);
  if (found === undefined) {
    throw new NovakitError(
      PLUGIN_LOAD_CODES.noPluginExport,
      `module ${name} exports no plugin (neither its default export nor a named export is a Novakit plugin)`,
      location,
      "export the object definePlugin({ ... }) returns, e.g. `export default definePlugin({ ... })`",
    );
  }
  if ("ambiguous" in found) {
    throw new NovakitError(
      PLUGIN_LOAD_CODES.ambiguousExport,
      `module ${name} exports several plugins (${found.ambiguous.join(", ")}) and no default`,
      location,
      "export the plugin to use as the default export",
    );
  }
  return found.plugin;
}

