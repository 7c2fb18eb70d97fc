/**
 * TPM_RC decoding (txt-tpm.md §10.3; TPM 2.0 Library Part 2, "TPM_RC"): a response code becomes
 * a name and a sentence a person can act on, with the parameter, handle or session it blames.
 *
 * Layout: bit 7 selects the format. Format 0 (bit 7 = 0): bit 8 VER1 (clear = a TPM 1.2 code such
 * as 0x01E BAD_TAG), bit 10 vendor-defined, bit 11 warning (TPM_RC_WARN 0x900), bits 6:0 the
 * number. Format 1 (bit 7 = 1): bits 5:0 the error, bit 6 P (parameter), bits 11:8 N: parameter
 * N if P, else session N-8 if bit 11, else handle N.
 */
export const TPM_RC_SUCCESS = 0x000;
export const TPM_RC_VER1 = 0x100;
export const TPM_RC_FMT1 = 0x080;
export const TPM_RC_WARN = 0x900;

/** Response codes this package produces or matches on. */
export const TpmRc = {
  SUCCESS: 0x000,
  BAD_TAG: 0x01e,
  INITIALIZE: 0x100,
  FAILURE: 0x101,
  AUTH_MISSING: 0x125,
  PCR: 0x127,
  PCR_CHANGED: 0x128,
  COMMAND_SIZE: 0x142,
  COMMAND_CODE: 0x143,
  AUTHSIZE: 0x144,
  LOCALITY: 0x907,
  TESTING: 0x90a,
  RETRY: 0x922,
  OBJECT_MEMORY: 0x902,
  /** format-1 bases, to be combined with a parameter/handle/session number */
  HASH: 0x083,
  VALUE: 0x084,
  HANDLE: 0x08b,
  AUTH_FAIL: 0x08e,
  NONCE: 0x08f,
  SIZE: 0x095,
  TAG: 0x097,
  INSUFFICIENT: 0x09a,
  RESERVED_BITS: 0x0a1,
  BAD_AUTH: 0x0a2,
} as const;

const FORMAT0: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0x000, ["INITIALIZE", "TPM not initialized by TPM2_Startup, or Startup sent twice"]],
  [0x001, ["FAILURE", "the TPM is in failure mode (swtpm: not initialised through the control channel)"]],
  [0x003, ["SEQUENCE", "improper use of a sequence handle"]],
  [0x00b, ["PRIVATE", "not currently used"]],
  [0x019, ["HMAC", "not currently used"]],
  [0x020, ["DISABLED", "the command is disabled"]],
  [0x021, ["EXCLUSIVE", "the command failed because the audit sequence required exclusivity"]],
  [0x024, ["AUTH_TYPE", "authorization handle is not correct for the command"]],
  [0x025, ["AUTH_MISSING", "the command needs an authorization session (sent with tag TPM_ST_NO_SESSIONS?)"]],
  [0x026, ["POLICY", "policy failure in math operation or an invalid authPolicy value"]],
  [0x027, ["PCR", "PCR check fail"]],
  [0x028, ["PCR_CHANGED", "PCR have changed since checked"]],
  [0x02d, ["UPGRADE", "the TPM is in field upgrade mode"]],
  [0x02e, ["TOO_MANY_CONTEXTS", "context ID counter is at maximum"]],
  [0x02f, ["AUTH_UNAVAILABLE", "authValue or authPolicy is not available for the selected entity"]],
  [0x030, ["REBOOT", "a _TPM_Init and Startup(CLEAR) is required before the TPM can resume operation"]],
  [0x031, ["UNBALANCED", "the protection algorithms (hash and symmetric) are not reasonably balanced"]],
  [0x042, ["COMMAND_SIZE", "command size value is inconsistent with the contents of the command buffer"]],
  [0x043, ["COMMAND_CODE", "command code not supported"]],
  [0x044, ["AUTHSIZE", "the authorization size is out of range or the number of sessions is wrong"]],
  [0x045, ["AUTH_CONTEXT", "use of an authorization session with a context command"]],
  [0x046, ["NV_RANGE", "NV offset + size is out of range"]],
  [0x047, ["NV_SIZE", "requested allocation size is larger than allowed"]],
  [0x048, ["NV_LOCKED", "NV access locked"]],
  [0x049, ["NV_AUTHORIZATION", "NV access authorization fails in command actions"]],
  [0x04a, ["NV_UNINITIALIZED", "an NV index is used before being initialized"]],
  [0x04b, ["NV_SPACE", "insufficient space for NV allocation"]],
  [0x04c, ["NV_DEFINED", "NV index or persistent object already defined"]],
  [0x050, ["BAD_CONTEXT", "context in TPM2_ContextLoad is not valid"]],
  [0x051, ["CPHASH", "cpHash value already set or not correct for use"]],
  [0x052, ["PARENT", "handle for parent is not a valid parent"]],
  [0x053, ["NEEDS_TEST", "some function needs testing"]],
  [0x054, ["NO_RESULT", "an internal function cannot process a request due to an unspecified problem"]],
  [0x055, ["SENSITIVE", "the sensitive area did not unmarshal correctly after decryption"]],
]);

const FORMAT1: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0x01, ["ASYMMETRIC", "asymmetric algorithm not supported or not correct"]],
  [0x02, ["ATTRIBUTES", "inconsistent attributes"]],
  [0x03, ["HASH", "hash algorithm not supported or not appropriate (e.g. a PCR bank that is not allocated)"]],
  [0x04, ["VALUE", "value is out of range or is not correct for the context"]],
  [0x05, ["HIERARCHY", "hierarchy is not enabled or is not correct for the use"]],
  [0x07, ["KEY_SIZE", "key size is not supported"]],
  [0x08, ["MGF", "mask generation function not supported"]],
  [0x09, ["MODE", "mode of operation not supported"]],
  [0x0a, ["TYPE", "the type of the value is not appropriate for the use"]],
  [0x0b, ["HANDLE", "the handle is not correct for the use"]],
  [0x0c, ["KDF", "unsupported key derivation function or function not appropriate for use"]],
  [0x0d, ["RANGE", "value was out of allowed range"]],
  [0x0e, ["AUTH_FAIL", "the authorization HMAC check failed and DA counter incremented"]],
  [0x0f, ["NONCE", "invalid nonce size or nonce value mismatch"]],
  [0x10, ["PP", "authorization requires assertion of physical presence"]],
  [0x12, ["SCHEME", "unsupported or incompatible scheme"]],
  [0x15, ["SIZE", "structure is the wrong size"]],
  [0x16, ["SYMMETRIC", "unsupported symmetric algorithm or key size, or not appropriate for instance"]],
  [0x17, ["TAG", "incorrect structure tag"]],
  [0x18, ["SELECTOR", "union selector is incorrect"]],
  [0x1a, ["INSUFFICIENT", "the TPM was unable to unmarshal a value because there were not enough octets in the input buffer"]],
  [0x1b, ["SIGNATURE", "the signature is not valid"]],
  [0x1c, ["KEY", "key fields are not compatible with the selected use"]],
  [0x1d, ["POLICY_FAIL", "a policy check failed"]],
  [0x1f, ["INTEGRITY", "integrity check failed"]],
  [0x20, ["TICKET", "invalid ticket"]],
  [0x21, ["RESERVED_BITS", "reserved bits not set to zero as required"]],
  [0x22, ["BAD_AUTH", "authorization failure without DA implications (wrong password?)"]],
  [0x23, ["EXPIRED", "the policy has expired"]],
  [0x24, ["POLICY_CC", "the commandCode in the policy is not the commandCode of the command"]],
  [0x25, ["BINDING", "public and sensitive portions of an object are not cryptographically bound"]],
  [0x26, ["CURVE", "curve not supported"]],
  [0x27, ["ECC_POINT", "point is not on the required curve"]],
]);

const WARNINGS: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0x01, ["CONTEXT_GAP", "gap for context ID is too large"]],
  [0x02, ["OBJECT_MEMORY", "out of memory for object contexts (flush transient objects)"]],
  [0x03, ["SESSION_MEMORY", "out of memory for session contexts"]],
  [0x04, ["MEMORY", "out of shared object/session memory or need space for internal operations"]],
  [0x05, ["SESSION_HANDLES", "out of session handles"]],
  [0x06, ["OBJECT_HANDLES", "out of object handles"]],
  [0x07, ["LOCALITY", "bad locality: the command or PCR is not allowed at the current locality"]],
  [0x08, ["YIELDED", "the TPM has suspended operation on the command"]],
  [0x09, ["CANCELED", "the command was canceled"]],
  [0x0a, ["TESTING", "the TPM is performing self-tests"]],
  [0x20, ["NV_RATE", "the TPM is rate-limiting accesses to prevent wearout of NV"]],
  [0x21, ["LOCKOUT", "authorizations for objects subject to DA protection are not allowed at this time (lockout)"]],
  [0x22, ["RETRY", "the TPM was not able to start the command; retry"]],
  [0x23, ["NV_UNAVAILABLE", "the command may require writing of NV and NV is not currently accessible"]],
]);

/** TPM 1.2 codes a TPM 2.0 may still answer with (format 0, VER1 clear). */
const LEGACY: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0x01e, ["BAD_TAG", "defined for compatibility with TPM 1.2: the command tag is not a TPM 2.0 tag"]],
]);

export type ResponseCodeFormat = "success" | "format0" | "format1" | "warning" | "vendor" | "tpm12";

export interface DecodedResponseCode {
  readonly code: number;
  readonly format: ResponseCodeFormat;
  /** TPM_RC_ name without the prefix, e.g. "LOCALITY"; "UNKNOWN" when not in the tables */
  readonly name: string;
  readonly description: string;
  /** the base code without the parameter/handle/session number (format 1), else `code` */
  readonly base: number;
  readonly parameter?: number;
  readonly handle?: number;
  readonly session?: number;
}

export function decodeResponseCode(code: number): DecodedResponseCode {
  if (code === TPM_RC_SUCCESS) return { code, format: "success", name: "SUCCESS", description: "success", base: code };
  if ((code & TPM_RC_FMT1) !== 0) {
    const number = code & 0x3f;
    const base = TPM_RC_FMT1 | number;
    const [name, description] = FORMAT1.get(number) ?? ["UNKNOWN", `unknown format-1 error 0x${number.toString(16)}`];
    const n = (code >>> 8) & 0xf;
    if ((code & 0x40) !== 0) return { code, format: "format1", name, description, base, parameter: n };
    if ((n & 0x8) !== 0) return { code, format: "format1", name, description, base, session: n & 0x7 };
    return n === 0 ? { code, format: "format1", name, description, base } : { code, format: "format1", name, description, base, handle: n };
  }
  if ((code & 0x400) !== 0) {
    return { code, format: "vendor", name: "VENDOR", description: `vendor-defined response code 0x${code.toString(16)}`, base: code };
  }
  if ((code & TPM_RC_VER1) === 0) {
    const [name, description] = LEGACY.get(code) ?? ["UNKNOWN", `TPM 1.2 response code 0x${code.toString(16)}`];
    return { code, format: "tpm12", name, description, base: code };
  }
  const number = code & 0x7f;
  if ((code & 0x800) !== 0) {
    const [name, description] = WARNINGS.get(number) ?? referenceWarning(number);
    return { code, format: "warning", name, description, base: code };
  }
  const [name, description] = FORMAT0.get(number) ?? ["UNKNOWN", `unknown format-0 error 0x${number.toString(16)}`];
  return { code, format: "format0", name, description, base: code };
}

/** REFERENCE_H0..H6 (0x10-0x16) and REFERENCE_S0..S6 (0x18-0x1E): a handle/session not loaded. */
function referenceWarning(number: number): readonly [string, string] {
  if (number >= 0x10 && number <= 0x16) return [`REFERENCE_H${number - 0x10}`, `handle ${number - 0x10} refers to an object that is not loaded`];
  if (number >= 0x18 && number <= 0x1e) return [`REFERENCE_S${number - 0x18}`, `session ${number - 0x18} refers to a session that is not loaded`];
  return ["UNKNOWN", `unknown warning 0x${number.toString(16)}`];
}

/** "TPM_RC_HASH (0x1c3) on parameter 1: hash algorithm not supported ..." */
export function describeResponseCode(code: number): string {
  const decoded = decodeResponseCode(code);
  const hex = `0x${code.toString(16).padStart(3, "0")}`;
  const where =
    decoded.parameter !== undefined
      ? ` on parameter ${decoded.parameter}`
      : decoded.handle !== undefined
        ? ` on handle ${decoded.handle}`
        : decoded.session !== undefined
          ? ` on session ${decoded.session}`
          : "";
  const kind = decoded.format === "warning" ? " (warning)" : "";
  return `TPM_RC_${decoded.name} (${hex})${kind}${where}: ${decoded.description}`;
}

/** A format-1 code blaming parameter `n` (1-15), e.g. parameterError(TpmRc.HASH, 1) = 0x1C3. */
export function parameterError(base: number, n: number): number {
  return base | 0x40 | ((n & 0xf) << 8);
}

/** A format-1 code blaming handle `n` (1-7). */
export function handleError(base: number, n: number): number {
  return base | ((n & 0x7) << 8);
}

/** A format-1 code blaming session `n` (1-7), e.g. sessionError(TpmRc.BAD_AUTH, 1) = 0x9A2. */
export function sessionError(base: number, n: number): number {
  return base | 0x800 | ((n & 0x7) << 8);
}
