import type { NovakitConfig } from "../config/config-types.js";
import type { PluginRequest } from "../boot/kernel-api.js";
import type { Platform } from "../platform/platform.js";
import type { NovakitPlugin, PluginKind } from "./plugin-definition.js";
import { NovakitError, type InputLocation } from "../errors/novakit-error.js";

export interface ResolvedPlugin {
  readonly plugin: NovakitPlugin<unknown>;
  /** options after the plugin's schema parsed them (defaults applied) */
  readonly options: unknown;
  readonly source: string;
}

/**
 * Diagnostic codes of plugin resolution. Stable: a code is never reused for another meaning.
 * The CLI adds NK-PLG-02x for loading plugin modules.
 */
export const PLUGIN_RESOLUTION_CODES = Object.freeze({
  duplicateName: "NK-PLG-001",
  missingDependency: "NK-PLG-002",
  conflict: "NK-PLG-003",
  noArchPlugin: "NK-PLG-004",
  twoArchPlugins: "NK-PLG-005",
  twoSchedulers: "NK-PLG-006",
  archMismatch: "NK-PLG-007",
  vendorMismatch: "NK-PLG-008",
  missingCpuFeature: "NK-PLG-009",
  badOptions: "NK-PLG-010",
  dependencyCycle: "NK-PLG-011",
  optionsWithoutSchema: "NK-PLG-012",
} as const);

/**
 * Tie-break order between plugins that the `requires` graph leaves unordered. It follows the
 * boot phases a kind mainly taps (discover → launch → memory/cpu → iommu → start), so that
 * within a phase the taps of the more fundamental plugin run first; exporters and extensions
 * come last because they observe what the others do.
 */
export const PLUGIN_KIND_ORDER: readonly PluginKind[] = Object.freeze([
  "arch",
  "launch",
  "security",
  "iommu",
  "scheduler",
  "exporter",
  "extension",
]);

/**
 * Checks duplicate names, options (each plugin's zod schema), exactly one arch plugin, at most
 * one scheduler, the configured arch against every plugin's constraints, dependencies and
 * conflicts, and returns the plugins in a deterministic order.
 *
 * Order rule: a topological order of the `requires` graph (a plugin comes after every plugin it
 * requires); among the plugins whose requirements are all placed, the next one is the first by
 * PLUGIN_KIND_ORDER, then by name (code-unit order). The order of the requests themselves never
 * matters, so the same set of plugins always registers in the same order.
 *
 * Vendor and CPU-feature constraints need the Platform: checkPlatformConstraints runs them after
 * `discover`.
 */
export function resolvePlugins(requests: readonly PluginRequest[], config: NovakitConfig): ResolvedPlugin[] {
  const byName = indexByName(requests);
  const resolved = requests.map((request) => ({
    plugin: request.plugin,
    options: parseOptions(request),
    source: request.source,
  }));
  checkKindCardinality(requests);
  for (const request of requests) checkArch(request, config);
  for (const request of requests) checkDependencies(request, byName);
  return orderPlugins(resolved);
}

/** After discover: vendor and CPU-feature constraints of every plugin against the Platform. */
export function checkPlatformConstraints(plugins: readonly ResolvedPlugin[], platform: Platform): void {
  for (const { plugin, source } of plugins) {
    const constraints = plugin.constraints;
    if (constraints === undefined) continue;
    if (constraints.vendor !== undefined && !constraints.vendor.includes(platform.cpu.vendor)) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.vendorMismatch,
        source,
        `${plugin.name} supports CPU vendor ${constraints.vendor.join(" or ")}, but platform ${platform.name} has a ${platform.cpu.vendor} CPU (${platform.cpu.name})`,
        "choose a platform profile with a matching CPU or remove the plugin",
      );
    }
    const missing = (constraints.cpuFeatures ?? []).filter((feature) => !platform.cpu.features.includes(feature));
    if (missing.length > 0) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.missingCpuFeature,
        source,
        `${plugin.name} needs CPU feature${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which ${platform.cpu.name} of platform ${platform.name} lacks`,
        "choose a platform profile whose CPU has the feature or remove the plugin",
      );
    }
  }
}

/** "novakit.config.ts: plugins[2]" → { file, field }; a source without ": " is a field only. */
function locationOf(source: string, fieldSuffix = ""): InputLocation {
  const separator = source.indexOf(": ");
  if (separator < 0) return { field: `${source}${fieldSuffix}` };
  return { file: source.slice(0, separator), field: `${source.slice(separator + 2)}${fieldSuffix}` };
}

function pluginError(code: string, source: string, message: string, hint?: string, fieldSuffix = ""): NovakitError {
  return new NovakitError(code, message, locationOf(source, fieldSuffix), hint);
}

function indexByName(requests: readonly PluginRequest[]): ReadonlyMap<string, PluginRequest> {
  const byName = new Map<string, PluginRequest>();
  for (const request of requests) {
    const earlier = byName.get(request.plugin.name);
    if (earlier !== undefined) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.duplicateName,
        request.source,
        `plugin ${request.plugin.name} is configured twice (first at ${earlier.source})`,
        "list every plugin once; put all its options in one entry",
      );
    }
    byName.set(request.plugin.name, request);
  }
  return byName;
}

function parseOptions(request: PluginRequest): unknown {
  const { plugin, options, source } = request;
  if (plugin.options === undefined) {
    const given = options !== undefined && !(isPlainObject(options) && Object.keys(options).length === 0);
    if (given) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.optionsWithoutSchema,
        source,
        `${plugin.name} takes no options`,
        "remove the options of this plugin",
        ".options",
      );
    }
    return {};
  }
  const result = plugin.options.safeParse(options ?? {});
  if (result.success) return result.data;
  // Report the first issue only: one clear line is what a person fixes first.
  const issue = result.error.issues[0];
  const path = issue === undefined ? [] : issue.path;
  const optionPath = formatPath(["options", ...path]);
  throw pluginError(
    PLUGIN_RESOLUTION_CODES.badOptions,
    source,
    `${plugin.name}: ${optionPath}: ${issue?.message ?? "invalid options"}`,
    "`novakit plugins` lists the options each built-in plugin takes",
    `.${optionPath}`,
  );
}

/** ["options", "cpus", 0] → "options.cpus[0]" */
function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKindCardinality(requests: readonly PluginRequest[]): void {
  const archPlugins = requests.filter((request) => request.plugin.kind === "arch");
  if (archPlugins.length === 0) {
    throw new NovakitError(
      PLUGIN_RESOLUTION_CODES.noArchPlugin,
      "no architecture plugin is configured (exactly one plugin of kind \"arch\" is needed)",
      { field: "plugins" },
      "do not disable the default arch plugin, or add one such as @novakit/arch-x86_64",
    );
  }
  const secondArch = archPlugins[1];
  if (secondArch !== undefined) {
    throw pluginError(
      PLUGIN_RESOLUTION_CODES.twoArchPlugins,
      secondArch.source,
      `two architecture plugins: ${archPlugins.map((request) => request.plugin.name).join(" and ")} (exactly one is allowed)`,
      "keep one plugin of kind \"arch\"",
    );
  }
  const schedulers = requests.filter((request) => request.plugin.kind === "scheduler");
  const secondScheduler = schedulers[1];
  if (secondScheduler !== undefined) {
    throw pluginError(
      PLUGIN_RESOLUTION_CODES.twoSchedulers,
      secondScheduler.source,
      `two schedulers: ${schedulers.map((request) => request.plugin.name).join(" and ")} (at most one is allowed)`,
      "disable the default one with { name: \"@novakit/scheduler\", enabled: false } or remove one",
    );
  }
}

function checkArch(request: PluginRequest, config: NovakitConfig): void {
  const supported = request.plugin.constraints?.arch;
  if (supported !== undefined && !supported.includes(config.arch)) {
    throw pluginError(
      PLUGIN_RESOLUTION_CODES.archMismatch,
      request.source,
      `${request.plugin.name} supports ${supported.join(", ")}, but the configuration's arch is ${config.arch}`,
      "remove the plugin or change `arch`",
    );
  }
}

function checkDependencies(request: PluginRequest, byName: ReadonlyMap<string, PluginRequest>): void {
  const { plugin, source } = request;
  for (const required of plugin.requires ?? []) {
    if (!byName.has(required)) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.missingDependency,
        source,
        `${plugin.name} requires ${required}, which is not configured`,
        `add "${required}" to plugins`,
      );
    }
  }
  for (const conflicting of plugin.conflicts ?? []) {
    const other = byName.get(conflicting);
    if (other !== undefined) {
      throw pluginError(
        PLUGIN_RESOLUTION_CODES.conflict,
        source,
        `${plugin.name} conflicts with ${conflicting} (configured at ${other.source})`,
        "remove one of the two",
      );
    }
  }
}

function compareForTieBreak(a: ResolvedPlugin, b: ResolvedPlugin): number {
  const byKind = PLUGIN_KIND_ORDER.indexOf(a.plugin.kind) - PLUGIN_KIND_ORDER.indexOf(b.plugin.kind);
  if (byKind !== 0) return byKind;
  if (a.plugin.name < b.plugin.name) return -1;
  return a.plugin.name > b.plugin.name ? 1 : 0;
}

/** Kahn's algorithm; the ready set is kept sorted by the tie-break (plugin counts are small). */
function orderPlugins(plugins: readonly ResolvedPlugin[]): ResolvedPlugin[] {
  const remainingRequirements = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const { plugin } of plugins) {
    const requires = [...new Set(plugin.requires ?? [])];
    remainingRequirements.set(plugin.name, requires.length);
    for (const required of requires) dependents.set(required, [...(dependents.get(required) ?? []), plugin.name]);
  }
  const byName = new Map(plugins.map((resolved) => [resolved.plugin.name, resolved]));
  const ready = plugins.filter(({ plugin }) => remainingRequirements.get(plugin.name) === 0);
  const ordered: ResolvedPlugin[] = [];
  while (ready.length > 0) {
    ready.sort(compareForTieBreak);
    const next = ready.shift() as ResolvedPlugin;
    ordered.push(next);
    for (const dependent of dependents.get(next.plugin.name) ?? []) {
      const left = (remainingRequirements.get(dependent) ?? 0) - 1;
      remainingRequirements.set(dependent, left);
      const resolved = byName.get(dependent);
      if (left === 0 && resolved !== undefined) ready.push(resolved);
    }
  }
  if (ordered.length < plugins.length) {
    const stuck = plugins.filter((resolved) => !ordered.includes(resolved)).sort(compareForTieBreak);
    const first = stuck[0] as ResolvedPlugin;
    throw pluginError(
      PLUGIN_RESOLUTION_CODES.dependencyCycle,
      first.source,
      `plugins require each other in a cycle: ${stuck.map((resolved) => resolved.plugin.name).join(", ")}`,
      "break the cycle in the plugins' `requires`",
    );
  }
  return ordered;
}
