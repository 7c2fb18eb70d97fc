import { ScPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { scFor } from "./capability-lookup.js";
import { result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";

/** ns -> STC ticks at `hz`, rounded down, exact in bigint. */
export function nsToTicks(ns: number, hz: number): bigint {
  return (BigInt(Math.floor(ns)) * BigInt(Math.round(hz))) / 1_000_000_000n;
}

/**
 * ctrl_sc(sc) (reference/nova.md §2.4): SC capability with CTRL (BAD_CAP); returns the SC's
 * consumed time in STC ticks in p1.
 */
export function ctrlSc(state: KernelState, request: HypercallRequest): HypercallResult {
  const sc = scFor(request.caller.ec.objectSpace, request.selector, ScPermission.CTRL);
  if (!sc.ok) return result(sc.status);
  return result(Status.SUCCESS, [nsToTicks(sc.object.usedNs, state.stcFrequencyHz)]);
}
