import { PioPermission } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { ProtectionDomain } from "./protection-domain.js";
import { Space } from "./space.js";

export const PIO_PORTS = 1 << 16;

/**
 * A PIO space (x86, reference/nova.md §1.2, §1.3): one bit per I/O port, 1 = denied, exactly
 * the polarity of the hardware I/O permission bitmap, so the bytes could be handed to a TSS/VMCS.
 * A new space denies every port.
 */
export class PioSpace extends Space {
  readonly kind = "PIO" as const;
  private readonly bitmap = new Uint8Array(PIO_PORTS / 8).fill(0xff);

  constructor(id: number, pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number) {
    super(id, "PIO", pd, quota, chargedBytes);
  }

  get selectorCount(): bigint {
    return BigInt(PIO_PORTS);
  }

  /** PIO capability permissions of `port`: A when accessible, 0 otherwise */
  permissions(port: number): number {
    return (this.bitmap[port >>> 3]! >> (port & 7)) & 1 ? 0 : PioPermission.A;
  }

  setPermissions(port: number, permissions: number): void {
    const bit = 1 << (port & 7);
    if (permissions & PioPermission.A) this.bitmap[port >>> 3]! &= ~bit;
    else this.bitmap[port >>> 3]! |= bit;
  }

  /** the hardware-format bitmap (8 KiB, 1 = denied) */
  bytes(): Uint8Array {
    return this.bitmap.slice();
  }
}
