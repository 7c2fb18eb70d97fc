/** A value that JSON.stringify renders faithfully. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Converts kernel data to plain JSON with stable renderings: bigints become "0x..." hex strings
 * (physical addresses do not fit a double), byte arrays become one lower-case hex string,
 * Maps become objects, undefined fields are dropped. Keys keep their order here; canonicalJson
 * sorts them when a hash is taken.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return `0x${value.toString(16)}`;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) {
    const entries: Record<string, JsonValue> = {};
    for (const [key, item] of value) entries[String(key)] = toJsonValue(item);
    return entries;
  }
  if (typeof value === "object") {
    const entries: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && typeof item !== "function") entries[key] = toJsonValue(item);
    }
    return entries;
  }
  return String(value);
}
