import { SELNUM } from "../abi/well-known-selectors.js";
import type { ObjectSpace } from "../objects/object-space.js";

/**
 * Whether a create_* call cannot insert at `selector`: the slot holds a capability or lies
 * outside the object space. NOVA's insert then fails with BAD_CAP (reference/nova.md §2.4).
 */
export function selectorTaken(space: ObjectSpace, selector: bigint): boolean {
  return selector < 0n || selector >= BigInt(SELNUM) || space.occupied(Number(selector));
}
