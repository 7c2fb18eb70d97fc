import type { KernelState } from "../kernel-state/kernel-state.js";
import type { KernelObject } from "../objects/kernel-object.js";
import type { CapabilitySlot } from "./capability-snapshot.js";
import { InvariantViolation } from "./invariant-violation.js";

/**
 * Reference counts balance (reference/nova.md §1.1): every live object's count equals the
 * capabilities naming it in any object space, plus the references live objects hold (EC -> its
 * spaces, SC/PT -> EC, space -> PD), plus the kernel's own pins (the NOVA PD, its spaces and the
 * idle ECs, which no capability holds), plus `external` references (an IOMMU device table entry
 * pointing at a DMA space, nova.md §4.6 step 4, counted from the real device table).
 * A capability naming an object the registry no longer has is a dangling reference.
 */
export function checkReferenceCounts(state: KernelState, capabilities: readonly CapabilitySlot[], external: ReadonlyMap<number, number>): InvariantViolation[] {
  const expected = new Map<KernelObject, number>();
  const bump = (object: KernelObject): void => {
    expected.set(object, (expected.get(object) ?? 0) + 1);
  };
  const pinned: (KernelObject | undefined)[] = [state.novaPd, state.novaObjectSpace, state.novaHostSpace, state.novaPioSpace, state.novaMsrSpace, ...state.idleEcs];
  for (const object of pinned) if (object !== undefined) bump(object);
  const violations: InvariantViolation[] = [];
  for (const object of state.objects.all()) for (const held of object.heldReferences()) bump(held);
  for (const { spaceId, selector, object } of capabilities) {
    if (state.objects.get(object.id) !== object) {
      violations.push(new InvariantViolation("refcount", { objectId: object.id, spaceId, selector }, `object space ${spaceId} selector ${selector} names destroyed object ${object.id}`));
    }
    bump(object);
  }
  for (const [id, count] of external) {
    const object = state.objects.get(id);
    if (object !== undefined) for (let i = 0; i < count; i++) bump(object);
  }
  for (const object of state.objects.all()) {
    const want = expected.get(object) ?? 0;
    if (object.referenceCount !== want) {
      violations.push(
        new InvariantViolation(
          "refcount",
          { objectId: object.id },
          `object ${object.id} (${object.subtypeName}) has reference count ${object.referenceCount}, but ${want} references exist`,
        ),
      );
    }
  }
  return violations;
}
