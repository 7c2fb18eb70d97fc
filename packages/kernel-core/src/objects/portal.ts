import { PT_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { ExecutionContext } from "./execution-context.js";
import { KernelObject } from "./kernel-object.js";

/**
 * A portal (reference/nova.md §1.7): an IPC entry point bound for life to one local EC (which it
 * holds), with an entry IP, a PID and an MTD that ctrl_pt changes (both start at 0).
 */
export class Portal extends KernelObject {
  pid = 0n;
  mtd = 0n;

  constructor(
    id: number,
    readonly ec: ExecutionContext,
    readonly ip: bigint,
    quota: KernelQuota,
    chargedBytes: number,
  ) {
    super(id, "PT", 0, quota, chargedBytes);
  }

  get definedPermissions(): number {
    return PT_PERMISSIONS_DEFINED;
  }

  get subtypeName(): string {
    return "PT";
  }

  heldReferences(): readonly KernelObject[] {
    return [this.ec];
  }
}
