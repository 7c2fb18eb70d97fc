import type { LocatedEvent, TcgPcrEvent2 } from "../event-log/event-log-types.js";
import { encodeEventLog, specIdFor } from "../event-log/encode-event-log.js";
import { replayEventLog, type Replay } from "../event-log/replay-event-log.js";
import type { HashAlgorithm } from "../tpm/tpm.js";
import { digestsOf } from "./digests.js";
import { DRTM_PCR, type LaunchStep } from "./launch-step.js";

/** The log record a step writes: PCR, type, H_bank of what it measured, its event data. */
export function eventOfStep(step: LaunchStep, banks: readonly HashAlgorithm[]): TcgPcrEvent2 {
  const measured = step.kind === "drtm" ? step.data : step.measured;
  return { pcrIndex: step.kind === "drtm" ? DRTM_PCR : step.pcr, eventType: step.eventType, digests: digestsOf(measured, banks), event: step.event };
}

export interface Prediction {
  readonly events: readonly TcgPcrEvent2[];
  /** the crypto-agile log the launch writes (Spec ID header with exactly these banks) */
  readonly log: Uint8Array;
  readonly replay: Replay;
}

/** The expected log and PCR values of a plan, computed without a TPM (txt-tpm.md §9 replay). */
export function predictSteps(steps: readonly LaunchStep[], banks: readonly HashAlgorithm[]): Prediction {
  const events = steps.map((step) => eventOfStep(step, banks));
  const header = specIdFor(banks);
  const located: LocatedEvent[] = events.map((event, index) => ({ ...event, number: index + 1, offset: 0 }));
  return { events, log: encodeEventLog({ header, events }), replay: replayEventLog(header, located) };
}
