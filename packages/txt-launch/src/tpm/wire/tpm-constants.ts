/**
 * TPM 2.0 wire constants (txt-tpm.md §10; TPM 2.0 Library Part 2). Commands and responses are
 * big-endian (txt-tpm.md "Byte order").
 */

/** TPM_ST: the structure tag that opens every command and response (§10.1). */
export const TpmSt = {
  NO_SESSIONS: 0x8001,
  SESSIONS: 0x8002,
} as const;

/** TPM_CC: the command codes this package sends or serves (§10.2). */
export const TpmCc = {
  NV_UndefineSpaceSpecial: 0x0000011f,
  NV_DefineSpace: 0x0000012a,
  PCR_Allocate: 0x0000012b,
  CreatePrimary: 0x00000131,
  NV_Write: 0x00000137,
  PCR_Event: 0x0000013c,
  PCR_Reset: 0x0000013d,
  SelfTest: 0x00000143,
  Startup: 0x00000144,
  Shutdown: 0x00000145,
  NV_Read: 0x0000014e,
  Quote: 0x00000158,
  SequenceUpdate: 0x0000015c,
  FlushContext: 0x00000165,
  StartAuthSession: 0x00000176,
  GetCapability: 0x0000017a,
  GetRandom: 0x0000017b,
  PCR_Read: 0x0000017e,
  PCR_Extend: 0x00000182,
  EventSequenceComplete: 0x00000185,
  HashSequenceStart: 0x00000186,
} as const;

/** Names of the command codes, for messages ("PCR_Extend failed: ..."). */
export function commandName(code: number): string {
  for (const [name, value] of Object.entries(TpmCc)) if (value === code) return `TPM2_${name}`;
  return `command 0x${code.toString(16).padStart(8, "0")}`;
}

/** Permanent handles (§10.2). PCR n is handle n. */
export const TpmRh = {
  OWNER: 0x40000001,
  NULL: 0x40000007,
  /** TPM_RS_PW: the password authorization session */
  RS_PW: 0x40000009,
  ENDORSEMENT: 0x4000000b,
  PLATFORM: 0x4000000c,
} as const;

/** TPM_SU: the Startup/Shutdown type (§10.4). */
export const TpmSu = {
  CLEAR: 0x0000,
  STATE: 0x0001,
} as const;

/** TPM_CAP: GetCapability categories (§10.7). */
export const TpmCap = {
  ALGS: 0,
  HANDLES: 1,
  COMMANDS: 2,
  PP_COMMANDS: 3,
  AUDIT_COMMANDS: 4,
  PCRS: 5,
  TPM_PROPERTIES: 6,
  PCR_PROPERTIES: 7,
  ECC_CURVES: 8,
} as const;

/** TPM_PT: fixed TPM properties (§10.7). */
export const TpmPt = {
  FAMILY_INDICATOR: 0x100,
  LEVEL: 0x101,
  REVISION: 0x102,
  DAY_OF_YEAR: 0x103,
  YEAR: 0x104,
  MANUFACTURER: 0x105,
  VENDOR_STRING_1: 0x106,
  VENDOR_STRING_2: 0x107,
  VENDOR_STRING_3: 0x108,
  VENDOR_STRING_4: 0x109,
  VENDOR_TPM_TYPE: 0x10a,
  FIRMWARE_VERSION_1: 0x10b,
  FIRMWARE_VERSION_2: 0x10c,
  INPUT_BUFFER: 0x10d,
  PCR_COUNT: 0x112,
  PCR_SELECT_MIN: 0x113,
  MAX_COMMAND_SIZE: 0x11e,
  MAX_RESPONSE_SIZE: 0x11f,
  MAX_DIGEST: 0x120,
} as const;

/** The header of every command and response: tag u16, size u32, code u32 (§10.1). */
export const HEADER_SIZE = 10;

/** TPMA_SESSION continueSession bit (§10.5). */
export const SESSION_CONTINUE = 0x01;

/** A TPMS_PCR_SELECTION bitmap of 3 bytes covers 24 PCRs (§10.6). */
export const PCR_SELECT_BYTES = 3;

/** TPM_ALG_NULL (§8.3). */
export const TPM_ALG_NULL = 0x0010;

/**
 * The largest command or response either side accepts. swtpm reports MAX_COMMAND_SIZE and
 * MAX_RESPONSE_SIZE 4096 (§10.7); a size field above this is garbage, not a big answer, and is
 * refused at once instead of waiting for bytes that will never come.
 */
export const MAX_MESSAGE_SIZE = 4096;

/** GetRandom answers at most the largest digest (64 bytes on swtpm, §10.8). */
export const MAX_RANDOM_PER_COMMAND = 64;

/** PCR_Read returns at most 8 digests per response (§10.6). */
export const MAX_PCR_READ_DIGESTS = 8;
