import { SpacePermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { DmaSpace } from "../objects/dma-space.js";
import { objectFor } from "./capability-lookup.js";
import { result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { callPlugin, isRoot } from "./plugin-hypercall.js";

/**
 * assign_dev(dma, smmu, dad) (reference/nova.md §2.4): root PD only (BAD_HYP), a DMA space
 * capability with ASSIGN (BAD_CAP). Finding the SMMU at p1 and validating the DAD (BAD_PAR)
 * is the IOMMU plugin's; when no plugin answers there is no SMMU at that address: BAD_DEV.
 */
export function assignDev(state: KernelState, request: HypercallRequest): HypercallResult {
  if (!isRoot(state, request)) return result(Status.BAD_HYP);
  const dma = objectFor(request.caller.ec.objectSpace, request.selector, DmaSpace, SpacePermission.ASSIGN);
  if (!dma.ok) return result(dma.status);
  const space = dma.object;
  const outcome = callPlugin(state, "assign_dev", request, {
    type: "space",
    id: space.id,
    kind: "DMA",
    ownerPd: space.pd.id,
    table: space.table,
    // the device table's reference on the space (nova.md §4.6 steps 4 and 8)
    retain: () => space.tryInc(),
    release: () => state.release(space),
  });
  if (outcome === undefined) return result(Status.BAD_DEV);
  return result(outcome.status, outcome.results ?? []);
}
