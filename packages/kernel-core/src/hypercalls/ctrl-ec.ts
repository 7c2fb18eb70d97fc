import { EcPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { ecFor } from "./capability-lookup.js";
import { result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";

/** ctrl_ec flag S (bit0): strong recall (§2.3). */
export const CtrlEcFlag = { STRONG: 0x1 } as const;

/**
 * ctrl_ec(ec) (reference/nova.md §2.4): EC capability with CTRL (BAD_CAP); sets the RECALL
 * hazard, which the runtime turns into a RECALL event (and, strong, waits for the remote CPU).
 */
export function ctrlEc(state: KernelState, request: HypercallRequest): HypercallResult {
  const ec = ecFor(request.caller.ec.objectSpace, request.selector, EcPermission.CTRL);
  if (!ec.ok) return result(ec.status);
  state.runtime.recall(ec.object.id, (request.flags & CtrlEcFlag.STRONG) !== 0);
  return result(Status.SUCCESS);
}
