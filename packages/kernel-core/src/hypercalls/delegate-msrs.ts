import { MSR_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { MsrSpace } from "../objects/msr-space.js";

/** MSR -> MSR copy (§1.8): ssb == dsb, the R and W bits of each MSR copied and masked by pmm. */
export function delegateMsrs(source: MsrSpace, destination: MsrSpace, base: number, count: number, mask: number): void {
  for (let msr = base; msr < base + count; msr++) {
    destination.setPermissions(msr, source.permissions(msr) & mask & MSR_PERMISSIONS_DEFINED);
  }
}
