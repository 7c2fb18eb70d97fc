import { PdPermission, SPACE_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { SpaceKind } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { pdFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { selectorTaken } from "./selector-taken.js";

/** create_pd OP values 1..6 (reference/nova.md §1.1: the PD subtypes). */
const SPACE_OPS: readonly SpaceKind[] = ["OBJ", "HST", "GST", "DMA", "PIO", "MSR"];

/**
 * create_pd(sel, pd, OP) (reference/nova.md §2.4), checks in the documented order: PD
 * capability with PD permission (BAD_CAP), free `sel` slot (BAD_CAP), OP <= 6 (BAD_PAR), then
 * ABORTED (second OBJ/HST space, dying PD), BAD_FTR (no format for GST/DMA, PIO/MSR off x86),
 * MEM_OBJ, and the insertion's MEM_CAP. A new PD's capability gets the permissions of the
 * parent capability used; a space's gets all its DEFINED bits.
 */
export function createPd(state: KernelState, request: HypercallRequest): HypercallResult {
  const space = request.caller.ec.objectSpace;
  const parent = pdFor(space, arg(request, 1), PdPermission.PD);
  if (!parent.ok) return result(parent.status);
  if (selectorTaken(space, request.selector)) return result(Status.BAD_CAP);
  const op = request.flags;
  if (op > SPACE_OPS.length) return result(Status.BAD_PAR);

  let object: KernelObject;
  let permissions: number;
  if (op === 0) {
    const pd = state.createProtectionDomain(parent.object, `pd-${parent.object.id}`);
    if (!pd.ok) return result(pd.status);
    object = pd.object;
    permissions = parent.permissions;
  } else {
    const kind = SPACE_OPS[op - 1] as SpaceKind;
    const created = state.createSpace(kind, parent.object);
    if (!created.ok) return result(created.status);
    object = created.object;
    permissions = SPACE_PERMISSIONS_DEFINED[kind];
  }
  const status = state.insertNew(space, request.selector, object, permissions);
  if (status !== Status.SUCCESS) return result(status);
  state.announce(object, parent.object);
  return result(Status.SUCCESS);
}
