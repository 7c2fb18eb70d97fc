import { NovakitError } from "@novakit/kernel-core";

/** bits 51:12 of every base and limit register: a 4 KiB aligned physical address (§2.2, §2.3) */
export const BASE_ADDRESS_MASK = 0x000f_ffff_ffff_f000n;
/** head/tail pointer registers hold a byte offset in bits 18:4 (§2.2) */
export const RING_POINTER_MASK = 0x7fff0n;
/** 16-byte commands and events (§5.1, §6.1) */
export const RING_ENTRY_BYTES = 16;
/** ComLen / EventLen: 8 (256 entries, 4 KiB) .. 15 (32768 entries, 512 KiB); smaller codes are reserved (§2.3) */
export const MIN_RING_LENGTH_CODE = 8;
export const MAX_RING_LENGTH_CODE = 15;

const RING_LENGTH_SHIFT = 56n;
const DEVICE_TABLE_SIZE_MASK = 0x1ffn;

/** §2.3: DEV_TBL_BASE = base (51:12) | Size (8:0); the table holds (Size + 1) * 4 KiB. */
export const DEV_TBL_BASE_WRITABLE_MASK = BASE_ADDRESS_MASK | DEVICE_TABLE_SIZE_MASK;
/** §2.3: CMD_BUF_BASE / EVT_LOG_BASE = length code (59:56) | base (51:12) */
export const RING_BASE_WRITABLE_MASK = BASE_ADDRESS_MASK | (0xfn << RING_LENGTH_SHIFT);
/** §2.2: EXCL_BASE = base (51:12) | Allow (1) | ExEn (0) */
export const EXCL_BASE_WRITABLE_MASK = BASE_ADDRESS_MASK | 3n;
export const EXCL_ENABLE = 1n << 0n;
export const EXCL_ALLOW_ALL = 1n << 1n;
/** §2.2: EXCL_LIMIT bits 11:0 read as all ones, so the limit is inclusive */
export const EXCL_LIMIT_FIXED_ONES = 0xfffn;

export interface DeviceTableBase {
  readonly base: bigint;
  /** the Size field (8:0): the table holds (size + 1) * 128 entries */
  readonly sizeField: number;
}

export interface RingBase {
  readonly base: bigint;
  /** log2 of the number of 16-byte entries (ComLen / EventLen) */
  readonly lengthCode: number;
}

function registerError(field: string, message: string): NovakitError {
  return new NovakitError("NK-IOMMU-212", message, { field });
}

function checkBase(field: string, base: bigint): void {
  if ((base & ~BASE_ADDRESS_MASK) !== 0n) throw registerError(field, `base 0x${base.toString(16)} is not a 4 KiB aligned 52-bit physical address`);
}

/** The DEV_TBL_BASE value for a table at `base` with Size field `sizeField` (NOVA: 0x1FF, 2 MiB). */
export function encodeDeviceTableBase(value: DeviceTableBase): bigint {
  checkBase("base", value.base);
  if (!Number.isInteger(value.sizeField) || value.sizeField < 0 || value.sizeField > 0x1ff) {
    throw registerError("sizeField", `device table Size ${value.sizeField} does not fit bits 8:0`);
  }
  return value.base | BigInt(value.sizeField);
}

export function decodeDeviceTableBase(register: bigint): DeviceTableBase {
  return { base: register & BASE_ADDRESS_MASK, sizeField: Number(register & DEVICE_TABLE_SIZE_MASK) };
}

/** Number of DeviceIDs the programmed table covers: (Size + 1) * 4 KiB / 32 bytes (§2.3). */
export function deviceTableEntries(sizeField: number): number {
  return (sizeField + 1) * 128;
}

/** The CMD_BUF_BASE / EVT_LOG_BASE value: lengthCode << 56 | base (§2.3, nova.md §4.3). */
export function encodeRingBase(value: RingBase): bigint {
  checkBase("base", value.base);
  if (!Number.isInteger(value.lengthCode) || value.lengthCode < MIN_RING_LENGTH_CODE || value.lengthCode > MAX_RING_LENGTH_CODE) {
    throw registerError("lengthCode", `ring length code ${value.lengthCode} is reserved (8 .. 15: 256 .. 32768 entries)`);
  }
  return (BigInt(value.lengthCode) << RING_LENGTH_SHIFT) | value.base;
}

export function decodeRingBase(register: bigint): RingBase {
  return { base: register & BASE_ADDRESS_MASK, lengthCode: Number((register >> RING_LENGTH_SHIFT) & 0xfn) };
}

/** Size of a ring in bytes: 2^lengthCode entries of 16 bytes. */
export function ringBytes(lengthCode: number): number {
  return RING_ENTRY_BYTES << lengthCode;
}
