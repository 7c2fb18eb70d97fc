import type { KernelState } from "../kernel-state/kernel-state.js";
import { ExecutionContext } from "../objects/execution-context.js";
import { MemorySpace } from "../objects/memory-space.js";
import type { DelegationLedger } from "./delegation-ledger.js";
import { InvariantViolation } from "./invariant-violation.js";
import type { ChangedRange } from "./space-change-tracker.js";

const kernelPageKey = (spaceId: number, input: bigint, frame: bigint): string => `${spaceId}:${input}:${frame}`;

/**
 * Space ownership (reference/nova.md §1.8, §3): every present leaf of every live host, guest and
 * DMA space, read from the real page table through the engine's walk, maps frames the ledger
 * says the space's PD was given, with no more permissions than given (as the format reads them
 * back). A kernel (K) leaf is legitimate only where the kernel put it: the UTCB of a live EC of
 * that space at its address, or a K page that was there when checking began (the root's HIP).
 */
export function checkSpaceOwnership(
  state: KernelState,
  ledger: DelegationLedger,
  bootKernelPages: ReadonlySet<string>,
  /**
   * what to walk of a space: "all", only the ranges that changed, or nothing (unchanged since it
   * was last found sound); everything when undefined
   */
  scope?: (spaceId: number) => "all" | readonly ChangedRange[] | undefined,
): InvariantViolation[] {
  const kernelPages = new Set(bootKernelPages);
  for (const object of state.objects.all()) {
    if (object instanceof ExecutionContext && object.utcbFrame !== undefined) {
      kernelPages.add(kernelPageKey(object.hostSpace.id, object.hostAddress, object.utcbFrame));
    }
  }
  const violations: InvariantViolation[] = [];
  for (const object of state.objects.all()) {
    if (!(object instanceof MemorySpace) || object.dying) continue;
    const what = scope === undefined ? "all" : scope(object.id);
    if (what === undefined) continue;
    const format = object.table.format;
    const grants = ledger.grantsOf(object.pd.id);
    const leaves = what === "all" ? object.table.leaves(0n, format.inputBits - 12) : what.flatMap((range) => object.table.leaves(range.page << 12n, range.order));
    for (const leaf of leaves) {
      const frame = leaf.outputAddress >> 12n;
      const page = leaf.inputAddress >> 12n;
      if (leaf.attributes.kernel) {
        if (leaf.order === 0 && kernelPages.has(kernelPageKey(object.id, leaf.inputAddress, leaf.outputAddress))) continue;
        violations.push(
          new InvariantViolation("space-ownership", { pdId: object.pd.id, spaceId: object.id, page, frame }, `${object.kind} space ${object.id} of PD ${object.pd.id} maps kernel page 0x${frame.toString(16)} at page 0x${page.toString(16)} that no EC's UTCB explains`),
        );
        continue;
      }
      const uncovered = grants === undefined ? frame : grants.firstUncovered(frame, frame + (1n << BigInt(leaf.order)), leaf.permissions, (given) => ledger.widen(format, given));
      if (uncovered === undefined) continue;
      violations.push(
        new InvariantViolation(
          "space-ownership",
          { pdId: object.pd.id, spaceId: object.id, page: page + (uncovered - frame), frame: uncovered },
          `${object.kind} space ${object.id} of PD ${object.pd.id} maps frame 0x${uncovered.toString(16)} at page 0x${(page + (uncovered - frame)).toString(16)} with permissions 0x${leaf.permissions.toString(16)}, but the PD was given it with 0x${(grants?.permissionsOf(uncovered) ?? 0).toString(16)}`,
        ),
      );
    }
  }
  return violations;
}

/** The K pages present now (taken when checking begins: the HIP and the boot's UTCBs). */
export function currentKernelPages(state: KernelState): Set<string> {
  const pages = new Set<string>();
  for (const object of state.objects.all()) {
    if (!(object instanceof MemorySpace) || object.dying) continue;
    for (const leaf of object.table.leaves(0n, object.table.format.inputBits - 12)) {
      if (leaf.attributes.kernel && leaf.order === 0) pages.add(kernelPageKey(object.id, leaf.inputAddress, leaf.outputAddress));
    }
  }
  return pages;
}
