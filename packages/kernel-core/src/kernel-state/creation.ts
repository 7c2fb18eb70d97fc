import type { Status } from "../abi/status.js";

/** Outcome of creating a kernel object: the object, or the NOVA status that stopped it. */
export type Creation<T> = { readonly ok: true; readonly object: T } | { readonly ok: false; readonly status: Status };

export function created<T>(object: T): Creation<T> {
  return { ok: true, object };
}

export function failed<T>(status: Status): Creation<T> {
  return { ok: false, status };
}
