import { NovakitError, type Platform } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { dprRange, TxtRegister } from "./txt-config-space.js";
import { NOVA_REQUIRED_GETSEC, type TxtEnvironment } from "./txt-environment.js";

/** CR0 bits the SENTER preconditions name (txt-tpm.md §1.2 item 9). */
const CR0_NE = 1n << 5n;
const CR0_NW = 1n << 29n;
const CR0_CD = 1n << 30n;
/** IA32_FEATURE_CONTROL: lock (bit 0) and SENTER global enable (bit 15). */
const FEATURE_CONTROL_LOCK = 1n;
const FEATURE_CONTROL_SENTER_GLOBAL = 1n << 15n;
const MCG_STATUS_MCIP = 1n << 2n;
const MCI_STATUS_VAL = 1n << 63n;
const FOUR_GIB = 0x1_0000_0000;

/**
 * The checks before GETSEC[SENTER] (txt-tpm.md §1.2, nova.md §6.1 step 2), in the order NOVA
 * makes them, each failing with a message that says which register or bit is wrong.
 * SMX itself is checked by the caller (NK-TXT-001) before anything TXT-specific is read.
 */
export function checkSenterPreconditions(env: TxtEnvironment, platform: Platform): void {
  const fail = (message: string, field: string, hint?: string): NovakitError => new NovakitError(LaunchDiagnostic.SENTER_PRECONDITION, message, { file: "TXT public space 0xfed30000", field }, hint);
  const missing = NOVA_REQUIRED_GETSEC & ~env.getsecCapabilities;
  if (missing !== 0) {
    throw fail(`GETSEC[CAPABILITIES] is 0x${env.getsecCapabilities.toString(16)}: leaves ${bitList(missing)} are missing (NOVA needs 0, 4 SENTER, 5 SEXIT, 7 SMCTRL, 8 WAKEUP)`, "GETSEC[CAPABILITIES]");
  }
  if ((env.featureControl & FEATURE_CONTROL_LOCK) === 0n || (env.featureControl & FEATURE_CONTROL_SENTER_GLOBAL) === 0n) {
    throw fail(`IA32_FEATURE_CONTROL is 0x${env.featureControl.toString(16)}: the BIOS must set lock (bit 0) and SENTER global enable (bit 15)`, "IA32_FEATURE_CONTROL", "enable Intel TXT in the firmware setup");
  }
  const space = env.publicSpace;
  const heapBase = space.read32(TxtRegister.HEAP_BASE);
  const heapSize = space.read32(TxtRegister.HEAP_SIZE);
  const sinitBase = space.read32(TxtRegister.SINIT_BASE);
  const sinitSize = space.read32(TxtRegister.SINIT_SIZE);
  if (heapBase === 0 || heapSize === 0) throw fail("TXT.HEAP.BASE/SIZE is zero: the BIOS set up no TXT heap", "HEAP.BASE");
  if (sinitBase === 0 || sinitSize === 0) throw fail("TXT.SINIT.BASE/SIZE is zero: the BIOS reserved no SINIT region", "SINIT.BASE");
  const errorCode = space.read32(TxtRegister.ERRORCODE);
  // NOVA's rule: a valid error (bit 31) is fatal unless software-reported (bit 30) with class 0 (bits 9:4)
  if ((errorCode & 0x8000_0000) !== 0 && ((errorCode & 0x4000_0000) === 0 || ((errorCode >>> 4) & 0x3f) !== 0)) {
    throw fail(`TXT.ERRORCODE is 0x${(errorCode >>> 0).toString(16)}: the previous launch failed (${describeErrorCode(errorCode)})`, "ERRORCODE", "clear the error with a power cycle after fixing its cause");
  }
  if ((space.read64(TxtRegister.ESTS) & 1n) !== 0n) throw fail("TXT.ESTS bit 0 (TXT_RESET.STS) is set: SENTER fails until a power cycle", "ESTS");
  if ((env.mcgStatus & MCG_STATUS_MCIP) !== 0n) throw fail("IA32_MCG_STATUS.MCIP is set: a machine check is in progress", "IA32_MCG_STATUS");
  const bank = env.mcBankStatus.findIndex((status) => (status & MCI_STATUS_VAL) !== 0n);
  if (bank >= 0) throw fail(`IA32_MC${bank}_STATUS reports a valid error (bit 63): NOVA refuses to launch`, `IA32_MC${bank}_STATUS`);
  if ((env.cr0 & (CR0_CD | CR0_NW)) !== 0n || (env.cr0 & CR0_NE) === 0n) throw fail(`CR0 is 0x${env.cr0.toString(16)}: SENTER needs CD=0, NW=0, NE=1`, "CR0");
  if (env.tpmLocalityActive) throw fail("a TPM locality is active: SENTER needs every ACCESS_x.activeLocality clear", "TPM.ACCESS");
  if (sinitBase % 0x1000 !== 0 || sinitBase + sinitSize > FOUR_GIB) throw fail(`the SINIT region 0x${sinitBase.toString(16)}+0x${sinitSize.toString(16)} must be 4 KiB aligned and below 4 GiB`, "SINIT.BASE");
  const dpr = dprRange(space.read32(TxtRegister.DPR));
  for (const [name, base, size] of [["heap", heapBase, heapSize], ["SINIT region", sinitBase, sinitSize]] as const) {
    if (base < dpr.base || base + size > dpr.top) {
      throw fail(`the TXT ${name} 0x${base.toString(16)}+0x${size.toString(16)} is not inside the DPR range 0x${dpr.base.toString(16)}-0x${dpr.top.toString(16)}: SINIT refuses unprotected memory`, "DPR");
    }
    const overlapping = platform.memory.find((region) => region.kind === "ram" && region.base < BigInt(base + size) && BigInt(base) < region.base + region.size);
    if (overlapping !== undefined) {
      throw fail(`the TXT ${name} 0x${base.toString(16)}+0x${size.toString(16)} overlaps usable RAM at 0x${overlapping.base.toString(16)} in the platform's memory map`, "memory");
    }
  }
  if (env.biosData.version < 6) throw fail(`BiosData version ${env.biosData.version}: TPM 2.0 needs version 6`, "BiosData.Version");
  const cpus = platform.cpus.filter((cpu) => cpu.enabled).length;
  if (env.biosData.numLogProcs < 1 || env.biosData.numLogProcs > 128 || env.biosData.numLogProcs !== cpus) {
    throw fail(`BiosData.NumLogProcs is ${env.biosData.numLogProcs}, the platform has ${cpus} CPUs (NOVA allows 1-128)`, "BiosData.NumLogProcs");
  }
}

function bitList(mask: number): string {
  const bits: number[] = [];
  for (let bit = 0; bit < 32; bit++) if ((mask & (1 << bit)) !== 0) bits.push(bit);
  return bits.join(", ");
}

/** TXT.ERRORCODE decoded (txt-tpm.md §4). */
export function describeErrorCode(code: number): string {
  if ((code & 0x8000_0000) === 0) return "no valid error";
  if ((code & 0x4000_0000) === 0) return `processor-detected shutdown type ${code & 0xffff}`;
  return `${(code & 0x8000) !== 0 ? "MLE" : "ACM"} error: class 0x${((code >>> 4) & 0x3f).toString(16)}, major 0x${((code >>> 10) & 0x1f).toString(16)}, minor 0x${((code >>> 16) & 0xfff).toString(16)}, module type ${code & 0xf}`;
}
