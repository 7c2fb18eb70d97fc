import { NovakitError, type MeasureEvent } from "@novakit/kernel-core";
import type { TcgPcrEvent2 } from "../event-log/event-log-types.js";
import { eventTypeName } from "../event-log/event-types.js";
import { comparePcrs } from "../event-log/replay-event-log.js";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import type { LaunchStep } from "../measure/launch-step.js";
import { LaunchInterruptedError } from "./launch-interrupted-error.js";
import { toHex } from "../measure/digests.js";
import type { LaunchPlan } from "../measure/plan-launch.js";
import { eventOfStep, predictSteps, type Prediction } from "../measure/predict-launch.js";
import { HASH_ALGORITHMS, type HashAlgorithm, type Tpm } from "../tpm/tpm.js";

/** PCRs a DRTM of Novakit touches and a verifier reads. */
export const LAUNCH_PCRS: readonly number[] = [17, 18, 19];

export interface MeasuredLaunchResult {
  readonly plan: LaunchPlan;
  readonly prediction: Prediction;
  /** PCR 17/18/19 as the TPM reports them after the launch, per bank */
  readonly pcrs: Map<HashAlgorithm, Map<number, Uint8Array>>;
  readonly tpm: string;
}

/** The banks of a TPM the launch can measure into (SHA-1/256/384/512 that are allocated). */
export async function launchBanks(tpm: Tpm): Promise<HashAlgorithm[]> {
  await tpm.startup("clear");
  const active = await tpm.activeBanks();
  const banks = HASH_ALGORITHMS.filter((bank) => active.includes(bank));
  if (banks.length === 0) {
    throw new NovakitError(LaunchDiagnostic.NO_USABLE_BANK, `the TPM (${tpm.description}) has none of the SHA-1/256/384/512 banks allocated`, { field: "tpm" });
  }
  return banks;
}

/** The measure-hook event of a log record (digests as hex by bank name). */
export function measureEventOf(event: TcgPcrEvent2, locality: number, description: string): MeasureEvent {
  const digests: Record<string, string> = {};
  for (const [bank, digest] of event.digests) digests[bank] = toHex(digest);
  return { pcr: event.pcrIndex, locality, description, digests, eventType: event.eventType, eventData: event.event };
}

/**
 * Runs a plan against a TPM: the DRTM step through the locality-4 hash sequence, every other step
 * as a TPM2_PCR_Extend at its locality, each published on the `measure` hook as it is made. Then
 * PCR 17/18/19 are read back and must equal the replay of the log just written: a TPM that
 * answers differently (or dies) fails the launch, it never yields a result that looks complete.
 */
export async function runMeasuredLaunch(tpm: Tpm, plan: LaunchPlan, publish: (event: MeasureEvent) => void): Promise<MeasuredLaunchResult> {
  const banks = plan.banks;
  const prediction = predictSteps(plan.steps, banks);
  for (const [index, step] of plan.steps.entries()) {
    const event = eventOfStep(step, banks);
    try {
      if (step.kind === "drtm") await tpm.drtmHash(step.data);
      else await tpm.pcrExtend(step.pcr, step.locality, event.digests);
    } catch (error) {
      throw interrupted(tpm, error, plan.steps.slice(index));
    }
    const locality = step.kind === "drtm" ? 4 : step.locality;
    publish(measureEventOf(event, locality, `${step.description} [${eventTypeName(step.eventType)}]`));
  }
  let pcrs: Map<HashAlgorithm, Map<number, Uint8Array>>;
  try {
    pcrs = await tpm.pcrRead(LAUNCH_PCRS, banks);
  } catch (error) {
    throw interrupted(tpm, error, []);
  }
  const mismatches = comparePcrs(prediction.replay, pcrs, LAUNCH_PCRS);
  const missing = banks.flatMap((bank) => LAUNCH_PCRS.filter((pcr) => pcrs.get(bank)?.get(pcr) === undefined).map((pcr) => `${bank}:${pcr}`));
  if (missing.length > 0 || mismatches.length > 0) {
    const first = mismatches[0];
    const detail = first ? `${first.bank} PCR ${first.pcr} is ${toHex(first.actual)}, the launch extended it to ${toHex(first.expected)}` : `the TPM returned no value for ${missing.join(", ")}`;
    throw new NovakitError(LaunchDiagnostic.TPM_DISAGREES, `the TPM (${tpm.description}) disagrees with the measured launch: ${detail}`, { field: "tpm" }, "another program may be using the TPM, or it is not a TPM 2.0 with DRTM support");
  }
  return { plan, prediction, pcrs, tpm: tpm.description };
}

/** "PCR 19: <description>" per step, for the boot log and the error */
export function stepName(step: LaunchStep): string {
  return step.kind === "drtm" ? `PCR 17 (DRTM hash sequence): ${step.description}` : `PCR ${step.pcr}: ${step.description}`;
}

/** A TPM error during the launch becomes NK-TXT-019 naming what was not extended; anything else passes. */
function interrupted(tpm: Tpm, error: unknown, remaining: readonly LaunchStep[]): unknown {
  if (!(error instanceof NovakitError) || !error.code.startsWith("NK-TPM-")) return error;
  return new LaunchInterruptedError(tpm.description, remaining.map(stepName), error.code, error.message);
}
