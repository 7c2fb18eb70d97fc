import type { BootResult } from "@novakit/kernel-core";

/** the measured-launch plugin whose figures (filed on the `report` hook) the summary shows */
const LAUNCH_PLUGIN = "@novakit/txt-launch";
const BANKS = ["sha1", "sha256", "sha384", "sha512"] as const;

/**
 * The measured-launch part of the boot summary, empty without a launch: the method (TXT or
 * SKINIT), the TPM, and PCR 17/18/19 per bank as the TPM read them back after the launch: the
 * values a verifier compares with `novakit measure`'s prediction.
 */
export function measuredLaunchSummary(result: BootResult): string[] {
  const figures = result.pluginReports[LAUNCH_PLUGIN];
  if (figures === undefined) return [];
  const method = figures["method"] === "txt" ? "Intel TXT (GETSEC[SENTER])" : "AMD SKINIT";
  const lines = ["", `Measured launch: ${method}, TPM ${String(figures["tpm"])}, hypervisor ${String(figures["hypervisor"])}`];
  for (const bank of BANKS) {
    const pcrs = [17, 18, 19].map((pcr) => figures[`${bank}.pcr${pcr}`]);
    if (pcrs.every((value) => typeof value === "string")) {
      lines.push(`  ${bank.padEnd(6)} ${pcrs.map((value, index) => `PCR${17 + index} ${String(value).slice(0, 16)}…`).join("  ")}`);
    }
  }
  lines.push("  (novakit measure predicts these values; novakit verify-log replays the event log)");
  return lines;
}
