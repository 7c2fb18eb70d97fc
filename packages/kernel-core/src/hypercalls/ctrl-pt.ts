import { PtPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { portalFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";

/** ctrl_pt(pt, pid, mtd) (reference/nova.md §2.4): PT capability with CTRL (BAD_CAP); sets PID and MTD. */
export function ctrlPt(_state: KernelState, request: HypercallRequest): HypercallResult {
  const pt = portalFor(request.caller.ec.objectSpace, request.selector, PtPermission.CTRL);
  if (!pt.ok) return result(pt.status);
  pt.object.pid = arg(request, 1);
  pt.object.mtd = arg(request, 2);
  return result(Status.SUCCESS);
}
