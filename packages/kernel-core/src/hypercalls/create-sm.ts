import { PdPermission, SM_REGULAR_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { pdFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { selectorTaken } from "./selector-taken.js";

/**
 * create_sm(sel, pd, count) (reference/nova.md §2.4): PD capability with SM permission
 * (BAD_CAP), free slot (BAD_CAP), memory (MEM_OBJ), insertion (MEM_CAP). The counter starts at p2.
 */
export function createSm(state: KernelState, request: HypercallRequest): HypercallResult {
  const space = request.caller.ec.objectSpace;
  const pd = pdFor(space, arg(request, 1), PdPermission.SM);
  if (!pd.ok) return result(pd.status);
  if (selectorTaken(space, request.selector)) return result(Status.BAD_CAP);
  const sm = state.createSemaphore(pd.object, arg(request, 2));
  if (!sm.ok) return result(sm.status);
  const status = state.insertNew(space, request.selector, sm.object, SM_REGULAR_PERMISSIONS_DEFINED);
  if (status !== Status.SUCCESS) return result(status);
  state.announce(sm.object, pd.object);
  return result(Status.SUCCESS);
}
