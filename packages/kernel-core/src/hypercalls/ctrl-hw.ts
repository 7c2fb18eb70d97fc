import { CtrlHwOp } from "../abi/descriptors.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { callPlugin, isRoot } from "./plugin-hypercall.js";

const VALID_OPS: ReadonlySet<number> = new Set(Object.values(CtrlHwOp));

/**
 * ctrl_hw(desc, OP) (reference/nova.md §2.4): root PD only (BAD_HYP), a defined OP (BAD_PAR);
 * the operation itself is hardware and belongs to the arch plugin; without one, BAD_FTR.
 */
export function ctrlHw(state: KernelState, request: HypercallRequest): HypercallResult {
  if (!isRoot(state, request)) return result(Status.BAD_HYP);
  if (!VALID_OPS.has(request.flags)) return result(Status.BAD_PAR);
  const outcome = callPlugin(state, "ctrl_hw", request);
  if (outcome === undefined) return result(Status.BAD_FTR);
  return result(outcome.status, outcome.results ?? []);
}
