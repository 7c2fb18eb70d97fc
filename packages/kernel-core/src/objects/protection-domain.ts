import { PD_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import { KernelObject } from "./kernel-object.js";
import { PdSubtype } from "./object-type.js";
import type { HostSpace } from "./host-space.js";
import type { NovaHostSpace } from "./nova-host-space.js";
import type { ObjectSpace } from "./object-space.js";
import type { PioSpace } from "./pio-space.js";

/**
 * A protection domain (reference/nova.md §1.1, §1.2): the unit of isolation and of resource
 * accounting. Its spaces are separate PD-typed objects; the PD only records which OBJ, HST and
 * first PIO space are attached (NOVA's attach bits) so that host ECs can bind to them. The
 * attachments are not references: the space holds the PD, not the other way round (no cycle).
 */
export class ProtectionDomain extends KernelObject {
  objectSpace: ObjectSpace | undefined;
  hostSpace: HostSpace | NovaHostSpace | undefined;
  pioSpace: PioSpace | undefined;

  constructor(
    id: number,
    /** the PD's own quota: what objects created in it are charged to */
    readonly ownQuota: KernelQuota,
    /** the quota this PD object itself is charged to (the parent PD's) */
    chargedTo: KernelQuota,
    chargedBytes: number,
    /** a readable name for logs ("root", "nova", or the domain's) */
    readonly name: string,
  ) {
    super(id, "PD", PdSubtype.PD, chargedTo, chargedBytes);
  }

  get definedPermissions(): number {
    return PD_PERMISSIONS_DEFINED;
  }

  get subtypeName(): string {
    return "PD";
  }

  heldReferences(): readonly KernelObject[] {
    return [];
  }
}
