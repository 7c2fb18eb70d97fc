import type { DelegationEvent } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { KernelObject } from "../objects/kernel-object.js";
import type { ObjectSpace } from "../objects/object-space.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import type { CapabilitySlot } from "./capability-snapshot.js";
import { InvariantViolation } from "./invariant-violation.js";

/** A capability as the mirror remembers it: by object id, so a destroyed object is still named. */
interface MirroredCapability {
  readonly objectId: number;
  readonly permissions: number;
}

const slotKey = (spaceId: number, selector: number): number => spaceId * 0x40000 + selector;

/**
 * Capability permission monotonicity (reference/nova.md §1.3, §1.8). The mirror is the object
 * spaces as they were at the last check. Between two checks a slot may only change by
 *  - creation: it names an object that did not exist at the last check (create_* inserted it);
 *  - delegation: replaying the ledger's OBJ -> OBJ copies, in order and one selector at a time
 *    as NOVA does, on the mirror yields a candidate with the same object and at least the
 *    permissions (destination = source AND pmm, never more than the source had);
 *  - loss: null, or the same object with fewer permissions.
 * Anything else carries permissions its source lacked.
 */
export class CapabilityMirror {
  private slots = new Map<number, MirroredCapability>();
  private known = new Set<number>();

  /** Take the current object spaces as the known-good state. */
  adopt(state: KernelState, capabilities: readonly CapabilitySlot[]): void {
    this.slots = mirrorOf(capabilities);
    this.known = new Set([...state.objects.all()].map((object) => object.id));
  }

  check(state: KernelState, capabilities: readonly CapabilitySlot[], copies: readonly DelegationEvent[]): InvariantViolation[] {
    const candidates = this.replay(state, copies);
    const current = mirrorOf(capabilities);
    const creations = this.creations(state, current);
    const violations: InvariantViolation[] = [];
    for (const [key, capability] of current) {
      const before = this.slots.get(key);
      if (before !== undefined && before.objectId === capability.objectId && (capability.permissions & ~before.permissions) === 0) continue;
      const created = creations.get(capability.objectId);
      if (created !== undefined && (capability.permissions & ~created) === 0) continue;
      const explained = (candidates.get(key) ?? []).some((candidate) => candidate.objectId === capability.objectId && (capability.permissions & ~candidate.permissions) === 0);
      if (explained) continue;
      const spaceId = Math.floor(key / 0x40000);
      const selector = key % 0x40000;
      violations.push(
        new InvariantViolation(
          "permission",
          { spaceId, selector, objectId: capability.objectId },
          `object space ${spaceId} selector ${selector} holds object ${capability.objectId} with permissions 0x${capability.permissions.toString(16)}` +
            (before === undefined ? ", which no creation or delegation put there" : `; before it held object ${before.objectId} with 0x${before.permissions.toString(16)}, and no delegation explains the change`),
        ),
      );
    }
    this.slots = current;
    this.known = new Set([...state.objects.all()].map((object) => object.id));
    return violations;
  }

  /**
   * Objects created since the last check: their creation slot is the one whose permissions
   * include every other slot's (copies only ever narrow), within the object's DEFINED bits.
   * Returns those permissions by object id; an object with no such slot gets none, so every
   * slot naming it must be explained otherwise.
   */
  private creations(state: KernelState, current: ReadonlyMap<number, MirroredCapability>): Map<number, number> {
    const union = new Map<number, number>();
    const widest = new Map<number, number>();
    for (const capability of current.values()) {
      if (this.known.has(capability.objectId)) continue;
      union.set(capability.objectId, (union.get(capability.objectId) ?? 0) | capability.permissions);
      if ((capability.permissions & ~(widest.get(capability.objectId) ?? 0)) !== 0 && ((widest.get(capability.objectId) ?? 0) & ~capability.permissions) === 0) widest.set(capability.objectId, capability.permissions);
    }
    const creations = new Map<number, number>();
    for (const [objectId, permissions] of union) {
      const object = state.objects.get(objectId);
      if (object !== undefined && widest.get(objectId) === permissions && (permissions & ~object.definedPermissions) === 0) creations.set(objectId, permissions);
    }
    return creations;
  }

  /** every value each destination slot was given by the copies, replayed on the mirror */
  private replay(state: KernelState, copies: readonly DelegationEvent[]): Map<number, MirroredCapability[]> {
    const model = new Map(this.slots);
    const candidates = new Map<number, MirroredCapability[]>();
    for (const copy of copies) {
      const source = objectSpaceOf(state.objects.get(copy.sourcePd));
      const destination = objectSpaceOf(state.objects.get(copy.destinationPd));
      if (source === undefined || destination === undefined) continue;
      const count = 2 ** Math.min(copy.order, 18);
      for (let i = 0; i < count; i++) {
        const from = model.get(slotKey(source.id, Number(copy.sourceBase) + i));
        const permissions = from === undefined ? 0 : from.permissions & copy.mask;
        const to = slotKey(destination.id, Number(copy.destinationBase) + i);
        if (from === undefined || permissions === 0) {
          model.delete(to);
          continue;
        }
        const value = { objectId: from.objectId, permissions };
        model.set(to, value);
        const list = candidates.get(to);
        if (list === undefined) candidates.set(to, [value]);
        else list.push(value);
      }
    }
    return candidates;
  }
}

function objectSpaceOf(object: KernelObject | undefined): ObjectSpace | undefined {
  return object instanceof ProtectionDomain ? object.objectSpace : undefined;
}

function mirrorOf(capabilities: readonly CapabilitySlot[]): Map<number, MirroredCapability> {
  const slots = new Map<number, MirroredCapability>();
  for (const slot of capabilities) slots.set(slotKey(slot.spaceId, slot.selector), { objectId: slot.object.id, permissions: slot.permissions });
  return slots;
}
