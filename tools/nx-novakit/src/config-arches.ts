/**
 * Which arches an example configuration supports, read without running it: the plugin runs
 * while Nx builds its project graph, before anything is compiled, so it cannot load the CLI.
 * The rules are the CLI's (packages/cli/src/config/arch-targets.ts): the keys of `targets` in
 * the order they are declared, else the fixed `arch`; the default is the top-level `arch` when
 * given, else the first target.
 */

export const ARCHES = Object.freeze(["x86_64", "aarch64"] as const);
export type Arch = (typeof ARCHES)[number];

export interface ConfigArches {
  /** the arches `novakit --arch` accepts for this configuration; empty when they cannot be read */
  readonly arches: readonly Arch[];
  /** what `novakit boot` without `--arch` boots */
  readonly defaultArch?: Arch;
}

const isArch = (value: unknown): value is Arch => typeof value === "string" && (ARCHES as readonly string[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The arches of a configuration value (parsed JSON). */
export function archesOfValue(value: unknown): ConfigArches {
  if (!isRecord(value)) return { arches: [] };
  const fixed = isArch(value["arch"]) ? value["arch"] : undefined;
  const targets = value["targets"];
  if (!isRecord(targets)) return fixed === undefined ? { arches: [] } : { arches: [fixed], defaultArch: fixed };
  const arches = Object.keys(targets).filter(isArch);
  const defaultArch = fixed !== undefined && arches.includes(fixed) ? fixed : arches[0];
  return defaultArch === undefined ? { arches } : { arches, defaultArch };
}

/**
 * The arches of a novakit.config.ts, from its text: the literal `arch: "..."` and the arch keys
 * directly inside a `targets: { ... }` object literal. A configuration that computes them gives
 * an empty list (its targets then run without --arch, as `novakit` does by default).
 */
export function archesOfModuleText(text: string): ConfigArches {
  const code = withoutComments(text);
  const fixedMatch = /\barch\s*:\s*["'`](x86_64|aarch64)["'`]/.exec(code);
  const fixed = fixedMatch?.[1] as Arch | undefined;
  const targetsMatch = /\btargets\s*:\s*\{/.exec(code);
  if (targetsMatch === null) return fixed === undefined ? { arches: [] } : { arches: [fixed], defaultArch: fixed };
  const arches = topLevelKeys(code, targetsMatch.index + targetsMatch[0].length).filter(isArch);
  const defaultArch = fixed !== undefined && arches.includes(fixed) ? fixed : arches[0];
  return defaultArch === undefined ? { arches } : { arches, defaultArch };
}

/** Removes // and block comments (outside strings), so a commented-out arch is not read. */
function withoutComments(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? "";
    if (quote !== undefined) {
      out += char;
      if (char === "\\") out += text[++index] ?? "";
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === "`") {
      quote = char;
      out += char;
    } else if (text.startsWith("//", index)) {
      while (index < text.length && text[index] !== "\n") index++;
      out += "\n";
    } else if (text.startsWith("/*", index)) {
      const end = text.indexOf("*/", index + 2);
      index = end === -1 ? text.length : end + 1;
      out += " ";
    } else {
      out += char;
    }
  }
  return out;
}

/** The property names at depth one of the object literal whose body starts at `start` (just after its "{"). */
function topLevelKeys(code: string, start: number): string[] {
  const keys: string[] = [];
  let depth = 1;
  let expectKey = true;
  for (let index = start; index < code.length && depth > 0; index++) {
    const char = code[index] ?? "";
    if (char === "{" || char === "[" || char === "(") depth++;
    else if (char === "}" || char === "]" || char === ")") depth--;
    else if (depth === 1 && char === ",") expectKey = true;
    else if (depth === 1 && expectKey && /[A-Za-z0-9_"']/.test(char)) {
      const match = /^["']?([A-Za-z0-9_]+)["']?\s*:/.exec(code.slice(index));
      if (match?.[1] !== undefined) keys.push(match[1]);
      expectKey = false;
    }
  }
  return keys;
}
