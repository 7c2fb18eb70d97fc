import type { FaultEvent } from "@novakit/kernel-core";

/**
 * The fields every line has, in this order, whether or not the event carries them (absent = null),
 * so a consumer (jq, a log pipeline) can rely on the shape. Fields a later kernel adds to
 * FaultEvent follow, sorted by name.
 */
const STABLE_FIELDS = ["kind", "timeNs", "cpu", "domain", "device", "address", "access", "detail"] as const;

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** bigints (addresses) as "0x..." strings: JSON has no 64-bit integers and hex is how people read them */
function toJsonValue(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "bigint") return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") {
    const record: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) record[key] = toJsonValue((value as Record<string, unknown>)[key]);
    return record;
  }
  return String(value);
}

/** One fault event as one line of JSON (no newline), numbered by `sequence` from 0. */
export function faultEventToJsonLine(event: FaultEvent, sequence: number): string {
  const record: { [key: string]: JsonValue } = { sequence };
  const source = event as unknown as Record<string, unknown>;
  for (const field of STABLE_FIELDS) record[field] = toJsonValue(source[field]);
  const extra = Object.keys(source)
    .filter((key) => !(STABLE_FIELDS as readonly string[]).includes(key) && key !== "sequence")
    .sort();
  for (const key of extra) record[key] = toJsonValue(source[key]);
  return JSON.stringify(record);
}
