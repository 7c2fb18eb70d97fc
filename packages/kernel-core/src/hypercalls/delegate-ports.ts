import { PIO_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { PioSpace } from "../objects/pio-space.js";

/** PIO -> PIO copy (§1.8): ssb == dsb, the A bit of each port copied and masked by pmm. */
export function delegatePorts(source: PioSpace, destination: PioSpace, base: number, count: number, mask: number): void {
  for (let port = base; port < base + count; port++) {
    destination.setPermissions(port, source.permissions(port) & mask & PIO_PERMISSIONS_DEFINED);
  }
}
