import { createHash } from "node:crypto";
import { NovakitError, type Platform } from "@novakit/kernel-core";
import { EventType } from "../event-log/event-types.js";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { bytesEqual, concatBytes, u32le } from "../measure/digests.js";
import type { LaunchStep } from "../measure/launch-step.js";
import type { HashAlgorithm } from "../tpm/tpm.js";
import { parseSinitAcm, type SinitAcm } from "./acm-header.js";
import { checkAcmForPlatform } from "./acm-match.js";
import { NOVA_MLE_CAPABILITIES } from "./mle-header.js";
import type { MleImage } from "./mle-image.js";
import { checkSenterPreconditions } from "./senter-preconditions.js";
import { TxtRegister } from "./txt-config-space.js";
import type { TxtEnvironment } from "./txt-environment.js";
import { encodeTxtHeap, type TxtHeap, type TxtHeapLayout } from "./txt-heap.js";

/** EDX of GETSEC[SENTER]: NOVA passes 0 (no SENTER function controls); the value is measured. */
export const NOVA_SENTER_EDX = 0;
/** ACM capability bit 9: the ACM writes a TCG crypto-agile log (heap element type 8). */
const ACM_CAP_TCG_LOG = 1 << 9;
/** ACM TPM capability bit 1: maximum-performance PCR-extend policy supported. */
const ACM_TPM_MAX_PERFORMANCE = 1 << 1;
/** OsSinitData capability bits 5:4 must be 0 with TPM 2.0 (txt-tpm.md §2.1). */
const TPM12_ONLY_CAPABILITIES = 0x30;
const TWO_MIB = 0x20_0000n;
/** The 4 pages NOVA keeps before its measured region: the log page, then the MLE page tables (nova.md §6.1). */
const NOVA_PTAB_PAGES = 4n;

export interface TxtLaunchInputs {
  readonly platform: Platform;
  readonly environment: TxtEnvironment;
  readonly mle: MleImage;
  /** the banks the TPM has allocated: SINIT measures into each */
  readonly banks: readonly HashAlgorithm[];
  /** physical load address of NOVA (its .ptab page comes first) */
  readonly novaLoadAddress: bigint;
}

export interface TxtLaunchPlan {
  readonly acm: SinitAcm;
  readonly heap: TxtHeap;
  readonly heapBytes: TxtHeapLayout;
  /** OsSinitData.Capabilities: NOVA's MLE caps AND the ACM's */
  readonly capabilities: number;
  /** SHA-256 of the ACM, which the CPU sends to the TPM with EDX */
  readonly sinitHash: Uint8Array;
  /** the SINIT steps (PCR 17 and 18); the caller appends NOVA's PCR 19 step */
  readonly steps: readonly LaunchStep[];
}

/**
 * Intel TXT as NOVA's Txt::launch() drives it and SINIT measures it: the SENTER preconditions,
 * the ACM header and its fit to the platform, the ACM authenticated against the chipset's fused
 * key hash (TXT.PUBLIC.KEY), the TXT heap, then the PCR 17/18 sequence of the details/authorities
 * mapping (txt-tpm.md §7.1) with the TXT event types of §7.4. No launch control policy is
 * modelled: PolicyControl 0, the policy and STM digests are H(0x00), as with no policy.
 */
export function planTxtLaunch(inputs: TxtLaunchInputs): TxtLaunchPlan {
  const { platform, environment, mle, banks } = inputs;
  if (!platform.cpu.features.includes("SMX")) {
    throw new NovakitError(LaunchDiagnostic.NO_SMX, `${platform.cpu.name} has no SMX (CPUID.1:ECX[6]): Intel TXT cannot launch`, { field: "platform.cpu.features" }, 'use method "skinit" on AMD or a platform whose CPU has SMX');
  }
  checkSenterPreconditions(environment, platform);
  const space = environment.publicSpace;
  const acm = parseSinitAcm(environment.sinitAcm, environment.sinitAcmSource);
  const keyHash = new Uint8Array(createHash("sha256").update(acm.publicKeyModulus).digest());
  if (!bytesEqual(keyHash, space.readBytes(TxtRegister.PUBLIC_KEY, 32))) {
    throw new NovakitError(
      LaunchDiagnostic.ACM_PLATFORM_MISMATCH,
      "the SINIT ACM's signing key is not the one the chipset trusts (SHA-256 of its modulus differs from TXT.PUBLIC.KEY): SENTER would fail authentication",
      { file: environment.sinitAcmSource, field: "AcmHeader.RSAPubKey" },
    );
  }
  checkAcmForPlatform(acm, { sinitSize: space.read32(TxtRegister.SINIT_SIZE), didvid: space.read64(TxtRegister.DIDVID), fms: environment.cpuidFms, platformId: environment.platformIdMsr, banks, source: environment.sinitAcmSource });
  const platformType = (acm.info.capabilities >>> 6) & 3;
  if (platformType !== 0 && platformType !== environment.biosData.platformType) {
    throw new NovakitError(LaunchDiagnostic.ACM_PLATFORM_MISMATCH, `the SINIT ACM is for platform type ${platformType}, BiosData says ${environment.biosData.platformType} (1 client, 2 server)`, { file: environment.sinitAcmSource, field: "AcmInfo.Capabilities" });
  }

  const capabilities = (NOVA_MLE_CAPABILITIES & acm.info.capabilities & ~TPM12_ONLY_CAPABILITIES) >>> 0;
  const logPage = inputs.novaLoadAddress;
  const mleEnd = inputs.novaLoadAddress + NOVA_PTAB_PAGES * 0x1000n + BigInt(mle.measured.length);
  const heap: TxtHeap = {
    biosData: { version: environment.biosData.version, biosSinitSize: 0, numLogProcs: environment.biosData.numLogProcs, sinitFlags: 0, mleFlags: environment.biosData.platformType << 1 },
    osMleData: { mtrrDefType: environment.mtrrDefType, miscEnable: environment.miscEnable, debugCtl: environment.debugCtl, variableMtrrs: environment.variableMtrrs },
    osSinitData: {
      flags: (acm.tpm.capabilities & ACM_TPM_MAX_PERFORMANCE) !== 0 ? 1 : 0,
      mlePageTableBase: logPage + 0x1000n,
      mleSize: BigInt(mle.header.mleEnd - mle.header.mleStart),
      mleHeaderBase: BigInt(mle.headerLinearOffset),
      pmrLowBase: (inputs.novaLoadAddress / TWO_MIB) * TWO_MIB,
      pmrLowSize: ((mleEnd + TWO_MIB - 1n) / TWO_MIB) * TWO_MIB - (inputs.novaLoadAddress / TWO_MIB) * TWO_MIB,
      pmrHighBase: 0n,
      pmrHighSize: 0n,
      lcpPoBase: 0n,
      lcpPoSize: 0n,
      capabilities,
      efiRsdpPtr: platform.firmware.rootPointer ?? 0n,
      eventLog: { tcgFormat: (acm.info.capabilities & ACM_CAP_TCG_LOG) !== 0, physicalAddress: logPage, allocatedSize: 0x1000 },
    },
    sinitMleData: {
      rlpWakeupAddr: 0,
      mdrs: platform.memory.filter((region) => region.kind === "ram").map((region) => ({ address: region.base, length: region.size, type: 0 })),
      processorScrtmStatus: environment.scrtmStatus,
    },
  };
  const heapBytes = encodeTxtHeap(heap, space.read32(TxtRegister.HEAP_SIZE));

  const sinitHash = new Uint8Array(createHash("sha256").update(environment.sinitAcm).digest());
  const hashStart = concatBytes([sinitHash, u32le(NOVA_SENTER_EDX)]);
  const none = new Uint8Array([0x00]);
  const scrtm = u32le(environment.scrtmStatus);
  const policyControl = u32le(environment.lcpPolicyControl);
  const caps = u32le(capabilities);
  const sinit = (pcr: number, eventType: number, measured: Uint8Array, description: string, event: Uint8Array = measured): LaunchStep => ({ kind: "extend", pcr, locality: 3, measured, eventType, event, description });
  const steps: LaunchStep[] = [
    { kind: "drtm", data: hashStart, eventType: EventType.EVTYPE_HASH_START, event: hashStart, description: "GETSEC[SENTER]: SinitHash ‖ EDX (locality 4)" },
    sinit(17, EventType.EVTYPE_BIOSAC_REG_DATA, environment.biosAcRegistrationData, "SINIT: BIOS ACM registration data"),
    sinit(17, EventType.EVTYPE_CPU_SCRTM_STAT, scrtm, "SINIT: processor S-CRTM status"),
    sinit(17, EventType.EVTYPE_LCP_CONTROL_HASH, policyControl, "SINIT: LCP PolicyControl"),
    sinit(17, EventType.EVTYPE_LCP_DETAILS_HASH, none, "SINIT: LCP details (no policy)"),
    sinit(17, EventType.EVTYPE_STM_HASH, none, "SINIT: STM (none)"),
    sinit(17, EventType.EVTYPE_OSSINITDATA_CAP_HASH, caps, "SINIT: OsSinitData.Capabilities"),
    sinit(17, EventType.EVTYPE_MLE_HASH, mle.measured, `SINIT: MLE (${mle.measured.length} bytes)`, new Uint8Array(0)),
    sinit(18, EventType.EVTYPE_SINIT_PUBKEY_HASH, acm.publicKeyModulus, "SINIT: ACM signing key modulus"),
    sinit(18, EventType.EVTYPE_CPU_SCRTM_STAT, scrtm, "SINIT: processor S-CRTM status"),
    sinit(18, EventType.EVTYPE_OSSINITDATA_CAP_HASH, caps, "SINIT: OsSinitData.Capabilities"),
    sinit(18, EventType.EVTYPE_LCP_CONTROL_HASH, policyControl, "SINIT: LCP PolicyControl"),
    sinit(18, EventType.EVTYPE_LCP_AUTHORITIES_HASH, none, "SINIT: LCP authorities (no policy)"),
  ];
  return { acm, heap, heapBytes, capabilities, sinitHash, steps };
}
