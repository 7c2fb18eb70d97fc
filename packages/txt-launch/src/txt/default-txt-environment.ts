import { createHash } from "node:crypto";
import type { Platform } from "@novakit/kernel-core";
import { parseSinitAcm } from "./acm-header.js";
import { TEST_ACM_CHIPSET } from "./novakit-test-acm.js";
import { buildTxtPublicSpace, type TxtRegisterValues } from "./txt-config-space.js";
import { cpuidFmsOf, type TxtEnvironment } from "./txt-environment.js";

/** Register values a configuration may override (plugin option `txt`). */
export interface TxtRegisterOverrides {
  readonly sinitBase?: number;
  readonly sinitSize?: number;
  readonly heapBase?: number;
  readonly heapSize?: number;
  readonly dpr?: number;
  readonly didvid?: bigint;
  readonly errorCode?: number;
  readonly ests?: bigint;
  readonly platformId?: bigint;
  /** SHA-256 of the ACM signing key the chipset trusts; default: the key of the ACM given */
  readonly publicKeyHash?: Uint8Array;
}

/**
 * Where the TXT test platform (arch-x86_64 "intel-txt-test-host") reserves its DPR: the heap at
 * 0x1FD00000 (1 MiB), SINIT at 0x1FE00000 (256 KiB), DPR = [0x1FD00000, 0x1FF00000), locked.
 * Another Intel platform passes its own values in the plugin's `txt` option.
 */
export const DEFAULT_TXT_LAYOUT = Object.freeze({ heapBase: 0x1fd0_0000, heapSize: 0x10_0000, sinitBase: 0x1fe0_0000, sinitSize: 0x4_0000, dpr: 0x1ff0_0021 });

/**
 * The machine state of a TXT-capable platform that firmware tables do not describe: the TXT
 * registers a BIOS that enabled TXT leaves (ERRORCODE 0, no reset status, production fuses, the
 * chipset of the synthetic test ACM), GETSEC leaves 0 and 2-8, IA32_FEATURE_CONTROL locked with
 * SENTER enabled, no machine check pending, CR0 = PG|NE|ET|MP|PE, the MTRRs a BIOS typically
 * sets (default WB, one variable range), BiosData v6 with the platform's CPU count.
 */
export function defaultTxtEnvironment(platform: Platform, acm: Uint8Array, acmSource: string, overrides: TxtRegisterOverrides = {}): TxtEnvironment {
  const parsedKey = tryModulus(acm);
  const registers: TxtRegisterValues = {
    sts: 0n,
    ests: overrides.ests ?? 0n,
    threadsExist: BigInt(platform.cpus.filter((cpu) => cpu.enabled).length),
    errorCode: overrides.errorCode ?? 0,
    fsbif: 0x8000_0000,
    didvid: overrides.didvid ?? ((BigInt(TEST_ACM_CHIPSET.revisionId) << 32n) | (BigInt(TEST_ACM_CHIPSET.deviceId) << 16n) | BigInt(TEST_ACM_CHIPSET.vendorId)),
    qpiif: 0x8c08_0000,
    sinitBase: overrides.sinitBase ?? DEFAULT_TXT_LAYOUT.sinitBase,
    sinitSize: overrides.sinitSize ?? DEFAULT_TXT_LAYOUT.sinitSize,
    heapBase: overrides.heapBase ?? DEFAULT_TXT_LAYOUT.heapBase,
    heapSize: overrides.heapSize ?? DEFAULT_TXT_LAYOUT.heapSize,
    dpr: overrides.dpr ?? DEFAULT_TXT_LAYOUT.dpr,
    publicKeyHash: overrides.publicKeyHash ?? new Uint8Array(createHash("sha256").update(parsedKey).digest()),
  };
  return {
    publicSpace: buildTxtPublicSpace(registers),
    getsecCapabilities: 0x1fd,
    featureControl: 0xff07n,
    platformIdMsr: overrides.platformId ?? 0n,
    cpuidFms: cpuidFmsOf(platform.cpu.family, platform.cpu.model, platform.cpu.stepping),
    mcgStatus: 0n,
    mcBankStatus: [0n, 0n, 0n, 0n],
    cr0: 0x8000_0033n,
    tpmLocalityActive: false,
    mtrrDefType: 0xc06n,
    miscEnable: 0x85_0089n,
    debugCtl: 0n,
    variableMtrrs: [{ base: 0x0000_0000_0000_0006n, mask: (1n << BigInt(platform.cpu.physicalAddressBits)) - 0x8000_0000n + 0x800n }],
    biosData: { version: 6, numLogProcs: platform.cpus.filter((cpu) => cpu.enabled).length, platformType: 1 },
    sinitAcm: acm,
    sinitAcmSource: acmSource,
    scrtmStatus: 1,
    biosAcRegistrationData: new Uint8Array(32),
    lcpPolicyControl: 0,
  };
}

/** The ACM's key modulus when it parses; a malformed ACM is reported later, by the launch. */
function tryModulus(acm: Uint8Array): Uint8Array {
  try {
    return parseSinitAcm(acm, "SINIT ACM").publicKeyModulus;
  } catch {
    return new Uint8Array(0);
  }
}
