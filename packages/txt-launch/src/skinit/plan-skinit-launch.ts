import { NovakitError, type Platform } from "@novakit/kernel-core";
import { EventType } from "../event-log/event-types.js";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import type { LaunchStep } from "../measure/launch-step.js";
import type { SecureLoaderImage } from "./secure-loader-block.js";

/** Locality the secure loader extends at after SKINIT (a software locality that may extend PCR 17, txt-tpm.md §5). */
export const SECURE_LOADER_LOCALITY = 2;

/**
 * AMD SKINIT (txt-tpm.md §12): SVM present (SKINIT needs EFER.SVME or the SKINIT CPUID bit); the
 * CPU sends the SL image to the TPM as a locality-4 hash sequence (PCRs 17-22 reset, PCR 17
 * extended with H(SL image)), logged as EVTYPE_HASH_START with the SL image's digest; then the
 * secure loader (software) measures the hypervisor image into PCR 17 as EVTYPE_MLE_HASH, as
 * TrenchBoot's loaders measure the kernel into PCR 17. NOVA's PCR 19 step follows (caller).
 */
export function planSkinitLaunch(platform: Platform, loader: SecureLoaderImage, hypervisor: Uint8Array): readonly LaunchStep[] {
  if (!platform.cpu.features.includes("SVM")) {
    throw new NovakitError(LaunchDiagnostic.SKINIT_PRECONDITION, `${platform.cpu.name} has no SVM (CPUID 8000_0001h:ECX[2]): SKINIT cannot run`, { field: "platform.cpu.features" });
  }
  return [
    { kind: "drtm", data: loader.measured, eventType: EventType.EVTYPE_HASH_START, event: new Uint8Array(0), description: `SKINIT: secure loader image (${loader.measured.length} bytes, locality 4)` },
    { kind: "extend", pcr: 17, locality: SECURE_LOADER_LOCALITY, measured: hypervisor, eventType: EventType.EVTYPE_MLE_HASH, event: new Uint8Array(0), description: `secure loader: hypervisor image (${hypervisor.length} bytes)` },
  ];
}
