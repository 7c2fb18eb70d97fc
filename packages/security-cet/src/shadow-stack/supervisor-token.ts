/**
 * Supervisor shadow-stack tokens (reference/cet.md §4.2): 8 bytes, 8-byte aligned; bits 63:3 hold
 * the linear address of the token itself, bits 2:1 are 0 and bit 0 is busy. A free token equals
 * its own address, a busy one address | 1.
 */
export const TOKEN_BUSY = 1n;

export function isTokenAligned(address: bigint): boolean {
  return (address & 7n) === 0n;
}

/** The value of a free token at `address`. */
export function freeToken(address: bigint): bigint {
  return address;
}

/** The value of the same token when busy. */
export function busyToken(address: bigint): bigint {
  return address | TOKEN_BUSY;
}

export type TokenState = "free" | "busy" | "invalid";

/** What `value`, read at `address`, is as a supervisor token of that address. */
export function tokenState(value: bigint, address: bigint): TokenState {
  if (value === freeToken(address)) return "free";
  if (value === busyToken(address)) return "busy";
  return "invalid";
}

/**
 * Restore and previous-SSP tokens for RSTORSSP/SAVEPREVSSP (cet.md §4.2): bits 63:2 an SSP,
 * bit 1 = 0 for a restore token and 1 for a previous-SSP token, bit 0 = 1 in 64-bit mode.
 */
export function restoreToken(sspToRestore: bigint, mode64: boolean): bigint {
  return (sspToRestore & ~3n) | (mode64 ? 1n : 0n);
}

export function previousSspToken(previousSsp: bigint, mode64: boolean): bigint {
  return (previousSsp & ~3n) | 2n | (mode64 ? 1n : 0n);
}
