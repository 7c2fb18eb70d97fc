import type { BootResult, MeasureEvent } from "@novakit/kernel-core";
import { eventTypeName, HASH_ALGORITHMS, LAUNCH_PCRS, TXT_LAUNCH_PLUGIN_NAME } from "@novakit/txt-launch";
import type { LaunchPrediction } from "../commands/launch-prediction.js";
import type { Measurements, PcrRow } from "./report-model.js";

/**
 * The measured launch as the boot saw it: PCR 17/18/19 of every bank the TPM held afterwards
 * (what the txt-launch plugin filed on the `report` hook), each beside `novakit measure`'s
 * prediction for the same configuration, and the event log records in the order the `measure`
 * hook published them. Undefined when the configuration has no measured launch.
 */
export function measurementsOf(result: BootResult, events: readonly MeasureEvent[], prediction: LaunchPrediction | undefined): Measurements | undefined {
  const figures = result.pluginReports[TXT_LAUNCH_PLUGIN_NAME];
  if (figures === undefined) return undefined;
  const pcrs: PcrRow[] = [];
  for (const bank of HASH_ALGORITHMS) {
    for (const pcr of LAUNCH_PCRS) {
      const measured = figures[`${bank}.pcr${pcr}`];
      if (typeof measured !== "string") continue;
      pcrs.push({ bank, pcr, measured, predicted: prediction?.pcrs[bank]?.[String(pcr)] });
    }
  }
  return {
    method: figures["method"] === "txt" ? "Intel TXT (GETSEC[SENTER])" : figures["method"] === "skinit" ? "AMD SKINIT" : String(figures["method"]),
    tpm: String(figures["tpm"] ?? "-"),
    hypervisor: String(figures["hypervisor"] ?? "-"),
    pcrs,
    events: events.map((event, index) => ({
      number: index + 1,
      pcr: event.pcr,
      locality: event.locality,
      typeName: event.eventType === undefined ? "-" : eventTypeName(event.eventType),
      description: event.description,
      digests: { ...event.digests },
    })),
  };
}
