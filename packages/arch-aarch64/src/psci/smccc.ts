/**
 * SMC Calling Convention function identifiers (reference/platform.md §3.1): bit 31 fast call,
 * bit 30 SMC64/HVC64, bits 29:24 owning entity (4 = standard secure service, where PSCI lives),
 * bits 15:0 function number.
 */
export const SmcccOwner = {
  ARCH: 0,
  CPU: 1,
  SIP: 2,
  OEM: 3,
  STANDARD: 4,
  STANDARD_HYPERVISOR: 5,
  VENDOR_HYPERVISOR: 6,
} as const;

const FAST_CALL = 0x8000_0000;
const CONVENTION_64 = 0x4000_0000;

export function smcccFunctionId(options: { readonly fast: boolean; readonly smc64: boolean; readonly owner: number; readonly number: number }): number {
  return ((options.fast ? FAST_CALL : 0) | (options.smc64 ? CONVENTION_64 : 0) | ((options.owner & 0x3f) << 24) | (options.number & 0xffff)) >>> 0;
}

export interface DecodedFunctionId {
  readonly fast: boolean;
  readonly smc64: boolean;
  readonly owner: number;
  readonly number: number;
}

export function decodeFunctionId(id: number): DecodedFunctionId {
  return { fast: (id & FAST_CALL) !== 0, smc64: (id & CONVENTION_64) !== 0, owner: (id >>> 24) & 0x3f, number: id & 0xffff };
}

/** PSCI function numbers (platform.md §3.2); 32-bit id = 0x8400_00nn, 64-bit = 0xC400_00nn. */
export const PsciFunction = {
  PSCI_VERSION: 0x00,
  CPU_SUSPEND: 0x01,
  CPU_OFF: 0x02,
  CPU_ON: 0x03,
  AFFINITY_INFO: 0x04,
  MIGRATE: 0x05,
  MIGRATE_INFO_TYPE: 0x06,
  MIGRATE_INFO_UP_CPU: 0x07,
  SYSTEM_OFF: 0x08,
  SYSTEM_RESET: 0x09,
  PSCI_FEATURES: 0x0a,
  CPU_FREEZE: 0x0b,
  CPU_DEFAULT_SUSPEND: 0x0c,
  NODE_HW_STATE: 0x0d,
  SYSTEM_SUSPEND: 0x0e,
  PSCI_SET_SUSPEND_MODE: 0x0f,
  PSCI_STAT_RESIDENCY: 0x10,
  PSCI_STAT_COUNT: 0x11,
  SYSTEM_RESET2: 0x12,
  MEM_PROTECT: 0x13,
  MEM_PROTECT_CHECK_RANGE: 0x14,
} as const;
export type PsciFunctionNumber = (typeof PsciFunction)[keyof typeof PsciFunction];

/** The 32-bit (SMC32) id of a PSCI function: 0x8400_0000 | number. */
export function psci32(number: number): number {
  return smcccFunctionId({ fast: true, smc64: false, owner: SmcccOwner.STANDARD, number });
}

/** The 64-bit (SMC64) id of a PSCI function: 0xC400_0000 | number. */
export function psci64(number: number): number {
  return smcccFunctionId({ fast: true, smc64: true, owner: SmcccOwner.STANDARD, number });
}

/** PSCI return codes (platform.md §3.2). */
export const PsciReturn = {
  SUCCESS: 0,
  NOT_SUPPORTED: -1,
  INVALID_PARAMETERS: -2,
  DENIED: -3,
  ALREADY_ON: -4,
  ON_PENDING: -5,
  INTERNAL_FAILURE: -6,
  NOT_PRESENT: -7,
  DISABLED: -8,
  INVALID_ADDRESS: -9,
} as const;
export type PsciReturnCode = (typeof PsciReturn)[keyof typeof PsciReturn];

export function psciReturnName(code: number): string {
  const entry = Object.entries(PsciReturn).find(([, value]) => value === code);
  return entry === undefined ? `0x${(code >>> 0).toString(16)}` : entry[0];
}

/** AFFINITY_INFO results (platform.md §3.2). */
export const AffinityState = { ON: 0, OFF: 1, ON_PENDING: 2 } as const;
export type AffinityStateValue = (typeof AffinityState)[keyof typeof AffinityState];
