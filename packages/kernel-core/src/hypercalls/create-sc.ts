import { decodeScd } from "../abi/descriptors.js";
import { EcPermission, PdPermission, SC_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { ecFor, pdFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { selectorTaken } from "./selector-taken.js";

const NS_PER_MS = 1_000_000;

/** COS is valid when it is 0 without COS support, or below COSNUM with it (§2.5 SCD). */
export function validCos(state: KernelState, cos: number): boolean {
  return state.cosCount === 0 ? cos === 0 : cos < state.cosCount;
}

/**
 * create_sc(sel, pd, ec, scd) (reference/nova.md §2.4), checks in order: SCD prio > 0,
 * budget > 0, valid COS (BAD_PAR); PD capability with SC permission (BAD_CAP); free slot
 * (BAD_CAP); EC capability with BIND_SC that is not a local EC (BAD_CAP); memory (MEM_OBJ);
 * insertion (MEM_CAP). The SC lives on the EC's CPU and becomes runnable at once.
 */
export function createSc(state: KernelState, request: HypercallRequest): HypercallResult {
  const scd = decodeScd(arg(request, 3));
  if (scd.priority === 0 || scd.budgetMs === 0 || !validCos(state, scd.cos)) return result(Status.BAD_PAR);
  const space = request.caller.ec.objectSpace;
  const pd = pdFor(space, arg(request, 1), PdPermission.SC);
  if (!pd.ok) return result(pd.status);
  if (selectorTaken(space, request.selector)) return result(Status.BAD_CAP);
  const ec = ecFor(space, arg(request, 2), EcPermission.BIND_SC);
  if (!ec.ok) return result(ec.status);
  if (ec.object.isLocal) return result(Status.BAD_CAP);

  const sc = state.createSchedulingContext(pd.object, ec.object, scd.priority, scd.budgetMs * NS_PER_MS, scd.cos);
  if (!sc.ok) return result(sc.status);
  const status = state.insertNew(space, request.selector, sc.object, SC_PERMISSIONS_DEFINED);
  if (status !== Status.SUCCESS) return result(status);
  ec.object.boundScs += 1;
  state.announce(sc.object, pd.object);
  state.runtime.scCreated(sc.object.id);
  return result(Status.SUCCESS);
}
