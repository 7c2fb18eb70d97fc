import type { TxtPublicSpace } from "./txt-config-space.js";

/** One variable MTRR pair as saved into OsMleData (txt-tpm.md §3.2, NOVA layout). */
export interface MtrrPair {
  readonly base: bigint;
  readonly mask: bigint;
}

/**
 * The machine state GETSEC[SENTER] and NOVA's Txt::launch() look at (txt-tpm.md §1.2, nova.md
 * §6.1): TXT registers, GETSEC[CAPABILITIES], MSRs, control registers, the BIOS's heap table and
 * the ACM found at TXT.SINIT.BASE. Firmware tables do not carry these facts, so a platform model
 * supplies them (txt/default-txt-environment.ts).
 */
export interface TxtEnvironment {
  readonly publicSpace: TxtPublicSpace;
  /** GETSEC[CAPABILITIES] EAX */
  readonly getsecCapabilities: number;
  /** IA32_FEATURE_CONTROL (MSR 0x3A) */
  readonly featureControl: bigint;
  /** IA32_PLATFORM_ID (MSR 0x17) */
  readonly platformIdMsr: bigint;
  /** CPUID.1:EAX */
  readonly cpuidFms: number;
  /** IA32_MCG_STATUS (MSR 0x17A) */
  readonly mcgStatus: bigint;
  /** IA32_MCi_STATUS of every bank */
  readonly mcBankStatus: readonly bigint[];
  readonly cr0: bigint;
  /** true when some TPM locality is active (ACCESS_x.activeLocality) */
  readonly tpmLocalityActive: boolean;
  /** IA32_MTRR_DEF_TYPE, IA32_MISC_ENABLE, IA32_DEBUGCTL and the variable MTRRs NOVA saves */
  readonly mtrrDefType: bigint;
  readonly miscEnable: bigint;
  readonly debugCtl: bigint;
  readonly variableMtrrs: readonly MtrrPair[];
  /** BiosData the BIOS left in the heap (version 6 for TPM 2.0) */
  readonly biosData: { readonly version: number; readonly numLogProcs: number; readonly platformType: number };
  /** the SINIT ACM at TXT.SINIT.BASE */
  readonly sinitAcm: Uint8Array;
  /** where the ACM came from, for messages */
  readonly sinitAcmSource: string;
  /** SinitMleData.ProcessorSCRTMStatus / the value SINIT measures as EVTYPE_CPU_SCRTM_STAT */
  readonly scrtmStatus: number;
  /** the 32 bytes of BIOS ACM registration data in the TPM AUX index (zeros when none) */
  readonly biosAcRegistrationData: Uint8Array;
  /** LCP PolicyControl (0: no launch control policy) */
  readonly lcpPolicyControl: number;
}

/** GETSEC leaves as bits of GETSEC[CAPABILITIES] (txt-tpm.md §1.2 item 3). */
export const GetsecCapability = {
  CHIPSET_PRESENT: 1 << 0,
  ENTERACCS: 1 << 2,
  EXITAC: 1 << 3,
  SENTER: 1 << 4,
  SEXIT: 1 << 5,
  PARAMETERS: 1 << 6,
  SMCTRL: 1 << 7,
  WAKEUP: 1 << 8,
} as const;

/** The leaves NOVA requires: 0 (chipset present), SENTER, SEXIT, SMCTRL, WAKEUP (nova.md §6.1). */
export const NOVA_REQUIRED_GETSEC = GetsecCapability.CHIPSET_PRESENT | GetsecCapability.SENTER | GetsecCapability.SEXIT | GetsecCapability.SMCTRL | GetsecCapability.WAKEUP;

/** CPUID.1:EAX from family/model/stepping (extended family/model fields as Intel encodes them). */
export function cpuidFmsOf(family: number, model: number, stepping: number): number {
  const baseFamily = family >= 0xf ? 0xf : family;
  const extendedFamily = family >= 0xf ? family - 0xf : 0;
  const baseModel = model & 0xf;
  const extendedModel = family === 6 || family >= 0xf ? (model >> 4) & 0xf : 0;
  return ((extendedFamily & 0xff) << 20) | (extendedModel << 16) | (baseFamily << 8) | (baseModel << 4) | (stepping & 0xf);
}
