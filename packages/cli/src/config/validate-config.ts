import type { z } from "zod";
import { NovakitError, type NovakitConfig } from "@novakit/kernel-core";
import { CONFIG_CODES } from "./config-codes.js";
import { novakitConfigSchema } from "./config-schema.js";

type Issue = z.core.$ZodIssue;

/**
 * Validates a loaded configuration value against the schema. Returns every problem as a
 * NovakitError (file + field path such as "domains[1].priority"), so `check` can list them all
 * while the other commands stop at the first.
 */
export function validateConfig(value: unknown, file: string): { config?: NovakitConfig; errors: NovakitError[] } {
  const result = novakitConfigSchema.safeParse(value, { reportInput: true });
  if (result.success) return { config: result.data, errors: [] };
  return { errors: result.error.issues.map((issue) => issueToError(issue, file)) };
}

/** Throws the first problem, for commands that cannot go on without a valid configuration. */
export function parseConfigOrThrow(value: unknown, file: string): NovakitConfig {
  const { config, errors } = validateConfig(value, file);
  const first = errors[0];
  if (first !== undefined || config === undefined) throw first ?? new Error("unreachable: invalid config without an error");
  return config;
}

/** ["domains", 1, "priority"] → "domains[1].priority" */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}

/** One zod issue as our diagnostic (also used for the `targets` section, whose issues carry the full path). */
export function issueToError(issue: Issue, file: string): NovakitError {
  const field = formatFieldPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0] ?? "";
      const keys = issue.keys.map((name) => `"${name}"`).join(", ");
      return new NovakitError(
        CONFIG_CODES.unknownKey,
        `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`,
        { file, field: formatFieldPath([...issue.path, key]) },
        "check the spelling; `novakit init` writes a commented example of every key",
      );
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        return new NovakitError(CONFIG_CODES.wrongType, `missing required field (expected ${issue.expected})`, { file, field });
      }
      return new NovakitError(CONFIG_CODES.wrongType, `${issue.message}, got ${describeValue(issue.input)}`, { file, field });
    }
    case "too_small":
    case "too_big":
      return new NovakitError(
        issue.origin === "array" ? CONFIG_CODES.invalidValue : CONFIG_CODES.outOfRange,
        issue.origin === "array" ? issue.message : `${issue.message}, got ${describeValue(issue.input)}`,
        { file, field },
      );
    case "invalid_union":
      return unionToError(issue, file);
    case "custom": {
      const code = (issue.params as { code?: string } | undefined)?.code ?? CONFIG_CODES.invalidValue;
      const message = code === CONFIG_CODES.badDevice ? `${issue.message}, got ${describeValue(issue.input)}` : issue.message;
      return new NovakitError(code, message, { file, field });
    }
    case "invalid_value":
      return new NovakitError(CONFIG_CODES.wrongType, `${issue.message}, got ${describeValue(issue.input)}`, { file, field });
    case "invalid_format":
      return new NovakitError(CONFIG_CODES.badName, `${issue.message}, got ${describeValue(issue.input)}`, { file, field });
    default:
      return new NovakitError(CONFIG_CODES.invalidValue, issue.message, { file, field });
  }
}

/**
 * A plugin entry is a string or an object. When neither fits, the branch that got further
 * explains the mistake best: an object gets the object branch's first issue, anything else
 * a plain "expected ..." message.
 */
function unionToError(issue: z.core.$ZodIssueInvalidUnion, file: string): NovakitError {
  const branches = issue.errors;
  const deepest = branches
    .map((branch) => branch[0])
    .filter((first): first is Issue => first !== undefined && !(first.code === "invalid_type" && first.path.length === 0))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (deepest !== undefined) {
    return issueToError({ ...deepest, path: [...issue.path, ...deepest.path] } as Issue, file);
  }
  return new NovakitError(
    CONFIG_CODES.wrongType,
    `expected a package name or { name, options?, enabled? }, got ${describeValue(issue.input)}`,
    { file, field: formatFieldPath(issue.path) },
  );
}
