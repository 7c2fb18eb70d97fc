import { NovakitError } from "../errors/novakit-error.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { ObjectType } from "./object-type.js";

/**
 * What every kernel object shares (reference/nova.md §1.1): an id, a type and subtype byte, a
 * reference count, and the quota its memory was charged to.
 *
 * Reference counting follows NOVA's `Refcount`: the first capability *publishes* the object
 * (0 -> 1); every later holder takes a reference with `tryInc`, which fails once the count has
 * dropped to 0 (the object is dying and must not be resurrected); `dec` reports the drop to 0,
 * after which the owner of the object graph (KernelState) destroys it.
 */
export abstract class KernelObject {
  private references = 0;
  private published = false;
  private dying_ = false;

  protected constructor(
    readonly id: number,
    readonly type: ObjectType,
    /** subtype byte, meaning depends on the type (§1.1) */
    readonly subtype: number,
    /** quota the object's memory is charged to (the owner PD's) */
    readonly quota: KernelQuota,
    /** bytes charged for this object (refunded when it is destroyed) */
    readonly chargedBytes: number,
  ) {}

  /** all permission bits a capability to this object can carry (§1.4 DEFINED) */
  abstract get definedPermissions(): number;
  /** readable subtype for hooks and logs ("OBJ", "EC_GLOBAL", ...) */
  abstract get subtypeName(): string;
  /** kernel objects this object holds a reference to (§1.1: EC -> its spaces, SC/PT -> EC, space -> PD) */
  abstract heldReferences(): readonly KernelObject[];

  get referenceCount(): number {
    return this.references;
  }

  /** true once the last reference went away */
  get dying(): boolean {
    return this.dying_;
  }

  /** The first reference, taken when the object's first capability is inserted (0 -> 1). */
  publish(): void {
    if (this.published) {
      throw new NovakitError("NK-KRN-103", `object ${this.id} (${this.type}) was published twice`, { field: "object" });
    }
    this.published = true;
    this.references = 1;
  }

  /** Take one more reference; fails (false) when the object is dying, so it stays dead. */
  tryInc(): boolean {
    if (this.references === 0) return false;
    this.references += 1;
    return true;
  }

  /** Drop one reference; true when this was the last one (the object is now dying). */
  dec(): boolean {
    if (this.references === 0) {
      throw new NovakitError("NK-KRN-103", `object ${this.id} (${this.type}) released more often than referenced`, { field: "object" });
    }
    this.references -= 1;
    if (this.references === 0) {
      this.dying_ = true;
      return true;
    }
    return false;
  }
}
