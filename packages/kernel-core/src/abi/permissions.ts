import type { SpaceKind } from "../hooks/hook-types.js";

/**
 * Capability permission bits, exactly as [REL-24.08] = [SPEC-2024] define them
 * (reference/nova.md §1.4). Objects are 32-byte aligned in [REL-24.08], so a capability word
 * carries 5 permission bits; `ctrl_pd`'s pmm field is masked to the same 5 bits.
 */
export const CAPABILITY_PERMISSION_BITS = 5;
export const CAPABILITY_PERMISSION_MASK = (1 << CAPABILITY_PERMISSION_BITS) - 1;

/** Space capabilities: bit0 GRANT, bit1 TAKE, bit2 ASSIGN (which of them exist depends on the kind). */
export const SpacePermission = {
  GRANT: 0x01,
  TAKE: 0x02,
  ASSIGN: 0x04,
} as const;

/** DEFINED mask of each space kind (§1.4: OBJ/HST 0x03, GST/DMA 0x05, PIO/MSR 0x07). */
export const SPACE_PERMISSIONS_DEFINED: Readonly<Record<SpaceKind, number>> = Object.freeze({
  OBJ: 0x03,
  HST: 0x03,
  GST: 0x05,
  DMA: 0x05,
  PIO: 0x07,
  MSR: 0x07,
});

/** PD capability: which create_* calls it allows (§1.4, [SPEC-2024] layout, not the 2021 one). */
export const PdPermission = {
  PD: 0x01,
  EC: 0x02,
  SC: 0x04,
  PT: 0x08,
  SM: 0x10,
} as const;
export const PD_PERMISSIONS_DEFINED = 0x1f;

/** EC capability: bit1 is unused, hence DEFINED = 0x0D. */
export const EcPermission = {
  CTRL: 0x01,
  BIND_PT: 0x04,
  BIND_SC: 0x08,
} as const;
export const EC_PERMISSIONS_DEFINED = 0x0d;

export const ScPermission = {
  CTRL: 0x01,
} as const;
export const SC_PERMISSIONS_DEFINED = 0x01;

export const PtPermission = {
  CTRL: 0x01,
  CALL: 0x02,
  EVENT: 0x04,
} as const;
export const PT_PERMISSIONS_DEFINED = 0x07;

/** SM capability; ASSIGN (bit4) exists only on interrupt semaphores, which have no CTRL_UP. */
export const SmPermission = {
  CTRL_UP: 0x01,
  CTRL_DN: 0x02,
  ASSIGN: 0x10,
} as const;
export const SM_REGULAR_PERMISSIONS_DEFINED = 0x03;
export const SM_INTERRUPT_PERMISSIONS_DEFINED = 0x12;

/**
 * Memory "capabilities" are page-table entries. R W XU XS are the user-visible bits
 * (same values as MemoryPermission in memory/page-table-format.ts); U K G SS are internal.
 */
export const MemoryCapabilityPermission = {
  R: 0x01,
  W: 0x02,
  XU: 0x04,
  XS: 0x08,
} as const;
export const MEMORY_PERMISSIONS_DEFINED = 0x0f;
/** Internal-only memory bits (§1.4 notes): never part of a user-supplied mask. */
export const MemoryInternalBit = {
  U: 1 << 12,
  K: 1 << 13,
  G: 1 << 14,
  SS: 1 << 15,
} as const;

/** PIO: one bit per port; A = accessible. */
export const PioPermission = { A: 0x01 } as const;
export const PIO_PERMISSIONS_DEFINED = 0x01;

/** MSR: read and write bit per MSR. */
export const MsrPermission = { R: 0x01, W: 0x02 } as const;
export const MSR_PERMISSIONS_DEFINED = 0x03;
