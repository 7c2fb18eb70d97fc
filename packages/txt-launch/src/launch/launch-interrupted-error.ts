import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

/**
 * The TPM failed in the middle of a measured launch (stopped answering, answered garbage, went
 * away): NK-TXT-019. `notExtended` names each measurement that never reached the TPM, first the
 * one whose command failed, so the boot log can say what a verifier will find missing;
 * `tpmCode` is the TPM layer's code (NK-TPM-008 timeout, NK-TPM-009 connection lost, ...).
 */
export class LaunchInterruptedError extends NovakitError {
  constructor(
    readonly tpmDescription: string,
    readonly notExtended: readonly string[],
    readonly tpmCode: string,
    tpmMessage: string,
  ) {
    super(
      LaunchDiagnostic.TPM_STOPPED,
      notExtended.length > 0
        ? `the TPM (${tpmDescription}) failed during the measured launch; not extended: ${notExtended.join("; ")} (${tpmCode}: ${tpmMessage})`
        : `the TPM (${tpmDescription}) failed while the launch read PCR 17/18/19 back (${tpmCode}: ${tpmMessage})`,
      { field: "tpm" },
      "the TPM stopped answering, answered garbage or closed its connection: the launch is not measured and must not be trusted",
    );
  }
}
