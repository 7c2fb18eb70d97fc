import { decodeEcPlacement } from "../abi/descriptors.js";
import { EC_PERMISSIONS_DEFINED, PdPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { EcKind } from "../objects/execution-context.js";
import { pdFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { selectorTaken } from "./selector-taken.js";

/** create_ec flags (§2.3): G bit0 vCPU, T bit1 global / time offsetting, F bit2 FPU. */
export const CreateEcFlag = { VCPU: 0x1, GLOBAL_OR_OFFSET: 0x2, FPU: 0x4 } as const;

function ecKind(flags: number): EcKind {
  const t = (flags & CreateEcFlag.GLOBAL_OR_OFFSET) !== 0;
  if (flags & CreateEcFlag.VCPU) return t ? "vcpu-offs" : "vcpu-real";
  return t ? "global" : "local";
}

/**
 * create_ec(sel, pd, hvp|cpu, sp, evt) (reference/nova.md §2.4), checks in order: hva below
 * host selectors << 12 (BAD_PAR), cpu below the CPU count (BAD_CPU), PD capability with EC
 * permission (BAD_CAP), free slot (BAD_CAP), vCPUs need a guest format, i.e. VMX/SVM or Arm
 * virtualization (BAD_FTR), the PD's required spaces (ABORTED), memory (MEM_OBJ), insertion
 * (MEM_CAP). The capability gets CTRL|BIND_PT|BIND_SC.
 */
export function createEc(state: KernelState, request: HypercallRequest): HypercallResult {
  const placement = decodeEcPlacement(arg(request, 2));
  if (placement.hostAddress >= state.hostSelectorCount() << 12n) return result(Status.BAD_PAR);
  if (placement.cpu >= state.cpuCount) return result(Status.BAD_CPU);
  const space = request.caller.ec.objectSpace;
  const pd = pdFor(space, arg(request, 1), PdPermission.EC);
  if (!pd.ok) return result(pd.status);
  if (selectorTaken(space, request.selector)) return result(Status.BAD_CAP);
  const kind = ecKind(request.flags);
  if ((kind === "vcpu-real" || kind === "vcpu-offs") && state.formatFor("GST") === undefined) return result(Status.BAD_FTR);

  const ec = state.createExecutionContext(pd.object, {
    kind,
    cpu: placement.cpu,
    fpu: (request.flags & CreateEcFlag.FPU) !== 0,
    eventBase: arg(request, 4),
    hostAddress: placement.hostAddress,
    stackPointer: arg(request, 3),
  });
  if (!ec.ok) return result(ec.status);
  const status = state.insertNew(space, request.selector, ec.object, EC_PERMISSIONS_DEFINED);
  if (status !== Status.SUCCESS) return result(status);
  state.announce(ec.object, pd.object);
  state.runtime.ecCreated(ec.object.id);
  return result(Status.SUCCESS);
}
