import { createHash } from "node:crypto";
import type { JsonValue } from "./json-value.js";

/** JSON with object keys sorted at every level and no whitespace: the same data, the same bytes. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonicalJson).join(",")}]`;
  const object = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(object).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key] as JsonValue)}`).join(",")}}`;
}

/** "sha256:<hex>" of the canonical JSON. */
export function contentHash(value: JsonValue): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

/** Sorted keys, two-space indentation: what `--json` prints and `compose -o` writes. */
export function stableJsonText(value: JsonValue): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}
