import { builtinModules } from "node:module";
import { NovakitError } from "@novakit/kernel-core";
import { SCAFFOLD_CODES } from "./scaffold-codes.js";

/** npm's limit on the length of a package name (scope included). */
const MAX_NAME_LENGTH = 214;
/** Names npm reserves whatever their form. */
const RESERVED_NAMES: readonly string[] = ["node_modules", "favicon.ico"];
/** Characters npm refuses in new package names although they are URL-safe. */
const SPECIAL_CHARACTERS = /[~'!()*]/;
/** The conventional prefix of a Novakit plugin package; dropped from file and export names. */
export const PLUGIN_NAME_PREFIX = "novakit-plugin-";

/** A package name split into the parts the templates use. */
export interface PluginPackageName {
  /** the full name as given: "@acme/novakit-plugin-foo" */
  readonly full: string;
  /** "@acme", or undefined for an unscoped name */
  readonly scope: string | undefined;
  /** the name without its scope: "novakit-plugin-foo" (the default directory) */
  readonly unscoped: string;
  /** the unscoped name without the "novakit-plugin-" prefix: "foo" (file names) */
  readonly short: string;
  /** short as a camelCase identifier: "foo" → fooPlugin, fooOptionsSchema */
  readonly camel: string;
  /** short as a PascalCase identifier: "foo" → FooOptions */
  readonly pascal: string;
}

function badName(name: string, rule: string): NovakitError {
  return new NovakitError(
    SCAFFOLD_CODES.badPackageName,
    `"${name}" is not a valid npm package name: ${rule}`,
    { field: "NAME" },
    'use lowercase letters, digits, "-", "." or "_", e.g. novakit-plugin-foo or @acme/novakit-plugin-foo',
  );
}

/** One part of a name (the scope without "@", or the name): the rules npm applies to each. */
function checkPart(name: string, part: string, what: string): void {
  if (part === "") throw badName(name, `the ${what} must not be empty`);
  if (part.startsWith(".")) throw badName(name, `the ${what} must not start with "."`);
  if (part.startsWith("_")) throw badName(name, `the ${what} must not start with "_"`);
  if (SPECIAL_CHARACTERS.test(part)) throw badName(name, `the ${what} must not contain any of ~'!()*`);
  if (encodeURIComponent(part) !== part) throw badName(name, `the ${what} may contain only URL-safe characters`);
}

/**
 * Checks NAME against npm's rules for a new package (those of validate-npm-package-name, written
 * out here because the CLI takes no dependency for it) and throws NK-SCF-001 naming the first
 * rule broken. Scoped names ("@scope/name") are allowed.
 */
export function parsePluginPackageName(name: string): PluginPackageName {
  if (name.length === 0) throw badName(name, "the name must not be empty");
  if (name.trim() !== name) throw badName(name, "the name must not have leading or trailing spaces");
  if (name.length > MAX_NAME_LENGTH) throw badName(name, `the name must be at most ${MAX_NAME_LENGTH} characters long`);
  if (name.toLowerCase() !== name) throw badName(name, "the name must be lowercase");
  let scope: string | undefined;
  let unscoped = name;
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash < 0) throw badName(name, 'a scoped name must have the form "@scope/name"');
    scope = name.slice(0, slash);
    unscoped = name.slice(slash + 1);
    checkPart(name, scope.slice(1), "scope");
    if (unscoped.includes("/")) throw badName(name, 'a scoped name must have exactly one "/"');
  }
  checkPart(name, unscoped, "name");
  if (RESERVED_NAMES.includes(unscoped)) throw badName(name, `"${unscoped}" is reserved by npm`);
  if (scope === undefined && builtinModules.includes(unscoped)) throw badName(name, `"${unscoped}" is a Node.js core module name`);
  const short = unscoped.startsWith(PLUGIN_NAME_PREFIX) && unscoped.length > PLUGIN_NAME_PREFIX.length ? unscoped.slice(PLUGIN_NAME_PREFIX.length) : unscoped;
  const camel = camelCase(short);
  return { full: name, scope, unscoped, short, camel, pascal: camel.charAt(0).toUpperCase() + camel.slice(1) };
}

/** "edf-scheduler" → "edfScheduler"; a leading digit gets a "plugin" prefix ("3d" → "plugin3d"). */
function camelCase(text: string): string {
  const words = text.split(/[^a-z0-9]+/).filter((word) => word !== "");
  const joined = words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join("");
  if (joined === "") return "plugin";
  return /^[0-9]/.test(joined) ? `plugin${joined}` : joined;
}
