import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { TPM_ALG_ID, type HashAlgorithm } from "../tpm/tpm.js";
import type { SinitAcm } from "./acm-header.js";
import { NOVA_MLE_HEADER_VERSION } from "./mle-header.js";

/** OsSinitData version NOVA writes, which the ACM must support (nova.md §6.1 step 3). */
export const NOVA_OS_SINIT_DATA_VERSION = 7;

/** Chipset list vs TXT.DIDVID (VID 15:0, DID 31:16, RID 47:32); flags bit 0 makes RID a mask. */
export function chipsetMatches(acm: SinitAcm, didvid: bigint): boolean {
  const vendor = Number(didvid & 0xffffn);
  const device = Number((didvid >> 16n) & 0xffffn);
  const revision = Number((didvid >> 32n) & 0xffffn);
  return acm.chipsets.some(
    (entry) => entry.vendorId === vendor && entry.deviceId === device && ((entry.flags & 1) === 1 ? (entry.revisionId & revision) !== 0 : entry.revisionId === revision),
  );
}

/** Processor list vs CPUID.1:EAX and IA32_PLATFORM_ID, each under its mask. */
export function processorMatches(acm: SinitAcm, fms: number, platformId: bigint): boolean {
  return acm.processors.some((entry) => ((entry.fms & entry.fmsMask) >>> 0) === ((fms & entry.fmsMask) >>> 0) && (entry.platformId & entry.platformMask) === (platformId & entry.platformMask));
}

/**
 * NOVA's ACM check (nova.md §6.1 step 3, txt-tpm.md §1.2 item 10): the ACM fits TXT.SINIT.SIZE,
 * supports OsSinitData v7 and NOVA's MLE header version, and its chipset and processor lists
 * name this platform; and (Novakit) it can hash every allocated PCR bank in software, since
 * capping a bank (EVTYPE_CAP_VALUE) is not modelled.
 */
export function checkAcmForPlatform(
  acm: SinitAcm,
  facts: { readonly sinitSize: number; readonly didvid: bigint; readonly fms: number; readonly platformId: bigint; readonly banks: readonly HashAlgorithm[]; readonly source: string },
): void {
  const file = facts.source;
  if (acm.size > facts.sinitSize) {
    throw new NovakitError(LaunchDiagnostic.ACM_UNSUITABLE, `the SINIT ACM is ${acm.size} bytes, TXT.SINIT.SIZE is ${facts.sinitSize}`, { file, field: "AcmHeader.Size" });
  }
  if (acm.info.osSinitTableVersion < NOVA_OS_SINIT_DATA_VERSION) {
    throw new NovakitError(LaunchDiagnostic.ACM_UNSUITABLE, `the SINIT ACM supports OsSinitData up to version ${acm.info.osSinitTableVersion}; TPM 2.0 needs version 7`, { file, field: "AcmInfo.OsSinitTableVer" });
  }
  if (acm.info.minMleHeaderVersion > NOVA_MLE_HEADER_VERSION) {
    throw new NovakitError(LaunchDiagnostic.ACM_UNSUITABLE, `the SINIT ACM needs MLE header version 0x${acm.info.minMleHeaderVersion.toString(16)}, NOVA's is 0x20003`, { file, field: "AcmInfo.MinMleHeaderVer" });
  }
  if (acm.chipsets.length > 0 && !chipsetMatches(acm, facts.didvid)) {
    const listed = acm.chipsets.map((entry) => `${hex4(entry.vendorId)}:${hex4(entry.deviceId)} rev ${entry.revisionId}`).join(", ");
    throw new NovakitError(
      LaunchDiagnostic.ACM_PLATFORM_MISMATCH,
      `the SINIT ACM is not for this chipset: TXT.DIDVID is ${hex4(Number(facts.didvid & 0xffffn))}:${hex4(Number((facts.didvid >> 16n) & 0xffffn))} rev ${Number((facts.didvid >> 32n) & 0xffffn)}, the ACM lists ${listed}`,
      { file, field: "ChipsetIDList" },
      "use the SINIT ACM Intel publishes for this chipset",
    );
  }
  if (acm.processors.length > 0 && !processorMatches(acm, facts.fms, facts.platformId)) {
    throw new NovakitError(
      LaunchDiagnostic.ACM_PLATFORM_MISMATCH,
      `the SINIT ACM is not for this processor: CPUID.1:EAX is 0x${facts.fms.toString(16)}, IA32_PLATFORM_ID 0x${facts.platformId.toString(16)}; the ACM lists ${acm.processors.map((entry) => `0x${entry.fms.toString(16)}/0x${entry.fmsMask.toString(16)}`).join(", ")}`,
      { file, field: "ProcessorIDList" },
    );
  }
  for (const bank of facts.banks) {
    if (!acm.tpm.algorithms.includes(TPM_ALG_ID[bank])) {
      throw new NovakitError(
        LaunchDiagnostic.NO_USABLE_BANK,
        `the SINIT ACM cannot hash the ${bank} bank the TPM has allocated; SINIT would cap it (EVTYPE_CAP_VALUE), which Novakit does not model`,
        { file, field: "TPMInfoList" },
      );
    }
  }
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, "0");
}
