/** #CP, the control-protection exception (reference/cet.md §4.5): vector 21, with an error code. */
export const CP_VECTOR = 21;

/** #CP error code bits 14:0 (CPEC), cet.md §4.5. */
export const CpErrorCode = {
  NEAR_RET: 1,
  FAR_RET_IRET: 2,
  ENDBRANCH: 3,
  RSTORSSP: 4,
  SETSSBSY: 5,
} as const;
export type CpCause = keyof typeof CpErrorCode;

/** bit 15 (ENCL): raised inside an SGX enclave; the hypervisor never runs in one */
export const CP_ERROR_ENCL = 1 << 15;

/** #PF error-code bits the shadow-stack model sets (cet.md §4.3): P, W, SS (bit 6). */
export const PageFaultError = { P: 1 << 0, W: 1 << 1, SS: 1 << 6 } as const;

/** An architectural exception the control-flow model raised, with what hardware would push. */
export type CpuException =
  | { readonly vector: typeof CP_VECTOR; readonly mnemonic: "#CP"; readonly cause: CpCause; readonly errorCode: number; readonly ip: bigint; readonly detail: string }
  | { readonly vector: 6; readonly mnemonic: "#UD"; readonly ip: bigint; readonly detail: string }
  | { readonly vector: 13; readonly mnemonic: "#GP"; readonly errorCode: 0; readonly ip: bigint; readonly detail: string }
  | { readonly vector: 14; readonly mnemonic: "#PF"; readonly errorCode: number; readonly address: bigint; readonly ip: bigint; readonly detail: string };

export function controlProtection(cause: CpCause, ip: bigint, detail: string): CpuException {
  return { vector: CP_VECTOR, mnemonic: "#CP", cause, errorCode: CpErrorCode[cause], ip, detail };
}

/** The outcome of one modelled instruction: done (with a value), or an exception instead. */
export type Step<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly exception: CpuException };

export function done<T>(value: T): Step<T> {
  return { ok: true, value };
}
export const DONE: Step = Object.freeze({ ok: true, value: undefined });

export function raised<T>(exception: CpuException): Step<T> {
  return { ok: false, exception };
}

export const hex = (value: bigint | number): string => `0x${value.toString(16)}`;
