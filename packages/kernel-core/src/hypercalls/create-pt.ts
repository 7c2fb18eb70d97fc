import { EcPermission, PdPermission, PT_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { ecFor, pdFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { selectorTaken } from "./selector-taken.js";

/**
 * create_pt(sel, pd, ec, ip) (reference/nova.md §2.4): PD capability with PT permission
 * (BAD_CAP), free slot (BAD_CAP), EC capability with BIND_PT naming a *local* EC (BAD_CAP),
 * memory (MEM_OBJ), insertion (MEM_CAP). PID and MTD start at 0 (§1.7).
 */
export function createPt(state: KernelState, request: HypercallRequest): HypercallResult {
  const space = request.caller.ec.objectSpace;
  const pd = pdFor(space, arg(request, 1), PdPermission.PT);
  if (!pd.ok) return result(pd.status);
  if (selectorTaken(space, request.selector)) return result(Status.BAD_CAP);
  const ec = ecFor(space, arg(request, 2), EcPermission.BIND_PT);
  if (!ec.ok) return result(ec.status);
  if (!ec.object.isLocal) return result(Status.BAD_CAP);

  const pt = state.createPortal(pd.object, ec.object, arg(request, 3));
  if (!pt.ok) return result(pt.status);
  const status = state.insertNew(space, request.selector, pt.object, PT_PERMISSIONS_DEFINED);
  if (status !== Status.SUCCESS) return result(status);
  state.announce(pt.object, pd.object);
  return result(Status.SUCCESS);
}
