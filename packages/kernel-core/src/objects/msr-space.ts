import { MsrPermission } from "../abi/permissions.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { ProtectionDomain } from "./protection-domain.js";
import { Space } from "./space.js";

/** The two MSR windows an MSR space covers (reference/nova.md §1.2): 2^13 low and 2^13 high. */
export const MSR_LOW_END = 0x2000;
export const MSR_HIGH_BASE = 0xc0000000;
export const MSR_HIGH_END = 0xc0002000;

export function isValidMsr(msr: number): boolean {
  return (msr >= 0 && msr < MSR_LOW_END) || (msr >= MSR_HIGH_BASE && msr < MSR_HIGH_END);
}

/** Whether [base, base + 2^order) lies entirely inside one MSR window. */
export function isValidMsrRange(base: bigint, order: number): boolean {
  const end = base + (1n << BigInt(order));
  return (base >= 0n && end <= BigInt(MSR_LOW_END)) || (base >= BigInt(MSR_HIGH_BASE) && end <= BigInt(MSR_HIGH_END));
}

/**
 * An MSR space (x86, reference/nova.md §1.2, §1.3): a read and a write bit per MSR in the VMX
 * MSR-bitmap layout (Intel SDM Vol. 3C §25.6.9): read-low at 0x000, read-high at 0x400,
 * write-low at 0x800, write-high at 0xC00; 1 = intercepted (denied). A new space denies all.
 */
export class MsrSpace extends Space {
  readonly kind = "MSR" as const;
  private readonly bitmap = new Uint8Array(4096).fill(0xff);

  constructor(id: number, pd: ProtectionDomain, quota: KernelQuota, chargedBytes: number) {
    super(id, "MSR", pd, quota, chargedBytes);
  }

  /** Selectors are MSR numbers; the upper window ends at 0xC0002000. */
  get selectorCount(): bigint {
    return BigInt(MSR_HIGH_END);
  }

  override containsRange(base: bigint, order: number): boolean {
    return isValidMsrRange(base, order);
  }

  /** R/W permissions of `msr` (0 for an MSR outside both windows) */
  permissions(msr: number): number {
    if (!isValidMsr(msr)) return 0;
    const { byte, bit } = locate(msr);
    let permissions = 0;
    if (!((this.bitmap[byte]! >> bit) & 1)) permissions |= MsrPermission.R;
    if (!((this.bitmap[byte + 0x800]! >> bit) & 1)) permissions |= MsrPermission.W;
    return permissions;
  }

  setPermissions(msr: number, permissions: number): void {
    if (!isValidMsr(msr)) return;
    const { byte, bit } = locate(msr);
    setDenied(this.bitmap, byte, bit, !(permissions & MsrPermission.R));
    setDenied(this.bitmap, byte + 0x800, bit, !(permissions & MsrPermission.W));
  }

  /** the VMX-format bitmap page */
  bytes(): Uint8Array {
    return this.bitmap.slice();
  }
}

function locate(msr: number): { byte: number; bit: number } {
  const high = msr >= MSR_HIGH_BASE;
  const index = high ? msr - MSR_HIGH_BASE : msr;
  return { byte: (high ? 0x400 : 0) + (index >>> 3), bit: index & 7 };
}

function setDenied(bitmap: Uint8Array, byte: number, bit: number, denied: boolean): void {
  if (denied) bitmap[byte]! |= 1 << bit;
  else bitmap[byte]! &= ~(1 << bit);
}
