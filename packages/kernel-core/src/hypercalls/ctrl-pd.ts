import { decodeSelectorWord } from "../abi/descriptors.js";
import { SpacePermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { SpaceKind } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { MemorySpace, type MemorySource } from "../objects/memory-space.js";
import { MsrSpace } from "../objects/msr-space.js";
import { NovaHostSpace } from "../objects/nova-host-space.js";
import { ObjectSpace } from "../objects/object-space.js";
import { PioSpace } from "../objects/pio-space.js";
import { spaceFor } from "./capability-lookup.js";
import { delegateMemory } from "./delegate-memory.js";
import { delegateMsrs } from "./delegate-msrs.js";
import { delegateObjects } from "./delegate-objects.js";
import { delegatePorts } from "./delegate-ports.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { madAttributes } from "./mad-attributes.js";

/** The space pairs ctrl_pd may copy between (§2.4); everything else is BAD_CAP. */
const ALLOWED_PAIRS: ReadonlySet<string> = new Set(["HST>HST", "HST>GST", "HST>DMA", "OBJ>OBJ", "PIO>PIO", "MSR>MSR"]);

export function isAllowedPair(source: SpaceKind, destination: SpaceKind): boolean {
  return ALLOWED_PAIRS.has(`${source}>${destination}`);
}

/**
 * ctrl_pd(src, dst, ssb|ord, dsb|pmm, mad) — delegation (reference/nova.md §1.8, §2.4). Checks
 * in order: ssb and dsb aligned to 2^ord (BAD_PAR); source space capability with TAKE and
 * destination space capability with GRANT (BAD_CAP); an allowed pair (BAD_CAP); the MAD when
 * copying from the NOVA host space (BAD_PAR); both ranges inside their spaces (BAD_PAR); PIO
 * and MSR need ssb == dsb (BAD_PAR). Then the copy; MEM_CAP on partial failure.
 */
export function ctrlPd(state: KernelState, request: HypercallRequest): HypercallResult {
  const { base: ssb, low: order } = decodeSelectorWord(arg(request, 2));
  const { base: dsb, low: pmm } = decodeSelectorWord(arg(request, 3));
  const alignment = (1n << BigInt(order)) - 1n;
  if ((ssb & alignment) !== 0n || (dsb & alignment) !== 0n) return result(Status.BAD_PAR);

  const objects = request.caller.ec.objectSpace;
  const source = spaceFor(objects, request.selector, SpacePermission.TAKE);
  if (!source.ok) return result(source.status);
  const destination = spaceFor(objects, arg(request, 1), SpacePermission.GRANT);
  if (!destination.ok) return result(destination.status);
  const src = source.object;
  const dst = destination.object;
  if (!isAllowedPair(src.kind, dst.kind)) return result(Status.BAD_CAP);

  const fromNova = src instanceof NovaHostSpace;
  const attributes = fromNova ? madAttributes(state, arg(request, 4)) : undefined;
  if (fromNova && attributes === undefined) return result(Status.BAD_PAR);
  if (!src.containsRange(ssb, order) || !dst.containsRange(dsb, order)) return result(Status.BAD_PAR);
  if ((src.kind === "PIO" || src.kind === "MSR") && ssb !== dsb) return result(Status.BAD_PAR);

  const count = 1 << Math.min(order, 30);
  let status: Status = Status.SUCCESS;
  if (src instanceof ObjectSpace && dst instanceof ObjectSpace) {
    status = delegateObjects(state, src, dst, Number(ssb), Number(dsb), count, pmm);
  } else if (src instanceof PioSpace && dst instanceof PioSpace) {
    delegatePorts(src, dst, Number(ssb), count, pmm);
  } else if (src instanceof MsrSpace && dst instanceof MsrSpace) {
    delegateMsrs(src, dst, Number(ssb), count, pmm);
  } else if (dst instanceof MemorySpace && (src instanceof MemorySpace || src instanceof NovaHostSpace)) {
    const memorySource: MemorySource = src;
    status = delegateMemory(state, { source: memorySource, destination: dst, sourceBase: ssb, destinationBase: dsb, order, mask: pmm, madAttributes: attributes });
  } else {
    // e.g. HST -> NOVA host space: the NOVA host space is not a page table anyone writes
    return result(Status.BAD_CAP);
  }
  if (status === Status.SUCCESS || status === Status.MEM_CAP) {
    state.hooks.delegated.call({
      kind: src.kind,
      sourcePd: src.pd.id,
      destinationPd: dst.pd.id,
      sourceBase: ssb,
      destinationBase: dsb,
      order,
      mask: pmm,
    });
  }
  return result(status);
}
