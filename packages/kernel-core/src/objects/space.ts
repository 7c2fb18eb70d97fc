import { SPACE_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { SpaceKind } from "../hooks/hook-types.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import { KernelObject } from "./kernel-object.js";
import { PdSubtype } from "./object-type.js";
import type { ProtectionDomain } from "./protection-domain.js";

/**
 * Common part of every space (reference/nova.md §1.2): a PD-typed object with the space kind as
 * subtype, holding a reference to its owning PD (§1.1).
 */
export abstract class Space extends KernelObject {
  abstract readonly kind: SpaceKind;

  protected constructor(id: number, kind: SpaceKind, readonly pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number) {
    super(id, "PD", PdSubtype[kind], quota, chargedBytes);
  }

  get definedPermissions(): number {
    return SPACE_PERMISSIONS_DEFINED[this.kind];
  }

  get subtypeName(): string {
    return this.kind;
  }

  heldReferences(): readonly KernelObject[] {
    return [this.pd];
  }

  /** number of selectors: the valid range for ctrl_pd is [0, selectorCount) (§1.2 sizes) */
  abstract get selectorCount(): bigint;

  /** whether [base, base + 2^order) lies inside the space */
  containsRange(base: bigint, order: number): boolean {
    return base >= 0n && base + (1n << BigInt(order)) <= this.selectorCount;
  }
}
