import type { HashAlgorithm } from "../tpm/tpm.js";
import { PCR_COUNT } from "../tpm/tpm.js";
import { bytesEqual, extendPcr, filledPcr } from "../measure/digests.js";
import type { LocatedEvent, PcrBanks, SpecIdEvent } from "./event-log-types.js";
import { EventType, NOT_EXTENDED_PCR } from "./event-types.js";
import { STARTUP_LOCALITY_SIGNATURE } from "./spec-id-event.js";

export interface ReplayStep {
  readonly event: LocatedEvent;
  /** the PCR values of the event's PCR after it was extended, per bank */
  readonly after: ReadonlyMap<HashAlgorithm, Uint8Array>;
}

export interface Replay {
  /** all 24 PCRs of every header bank after the last record */
  readonly pcrs: PcrBanks;
  /** true when the first PCR 17 record is a DRTM start (PCRs 17-22 then start at zero) */
  readonly drtm: boolean;
  /** the records that were extended, with the value they produced */
  readonly steps: readonly ReplayStep[];
}

/** The PCR 17-22 window a locality-4 DRTM sequence resets (txt-tpm.md §5). */
export function isDrtmPcr(pcr: number): boolean {
  return pcr >= 17 && pcr <= 22;
}

/**
 * Verifier replay (txt-tpm.md §9): PCR 0-16 and 23 start at zero (PCR 0 at 00..0L after a
 * StartupLocality record), PCR 17-22 at zero when the log holds a DRTM launch (its first PCR 17
 * record is EVTYPE_HASH_START: the locality-4 hash sequence of TXT or SKINIT) and at all-ones
 * otherwise; then every record except EV_NO_ACTION and PCR 0xFF is extended into every bank.
 */
export function replayEventLog(header: SpecIdEvent, events: readonly LocatedEvent[]): Replay {
  const firstPcr17 = events.find((event) => event.pcrIndex === 17 && event.eventType !== EventType.EV_NO_ACTION);
  const drtm = firstPcr17?.eventType === EventType.EVTYPE_HASH_START;
  const startupLocality = startupLocalityOf(events);
  const pcrs: PcrBanks = new Map();
  for (const bank of header.algorithms) {
    const values = new Map<number, Uint8Array>();
    for (let pcr = 0; pcr < PCR_COUNT; pcr++) values.set(pcr, filledPcr(bank, isDrtmPcr(pcr) && !drtm ? 0xff : 0));
    if (startupLocality !== undefined) {
      const pcr0 = filledPcr(bank, 0);
      pcr0[pcr0.length - 1] = startupLocality;
      values.set(0, pcr0);
    }
    pcrs.set(bank, values);
  }
  const steps: ReplayStep[] = [];
  for (const event of events) {
    if (event.eventType === EventType.EV_NO_ACTION || event.pcrIndex === NOT_EXTENDED_PCR) continue;
    const after = new Map<HashAlgorithm, Uint8Array>();
    for (const bank of header.algorithms) {
      const values = pcrs.get(bank) as Map<number, Uint8Array>;
      const digest = event.digests.get(bank) as Uint8Array;
      const next = extendPcr(bank, values.get(event.pcrIndex) as Uint8Array, digest);
      values.set(event.pcrIndex, next);
      after.set(bank, next);
    }
    steps.push({ event, after });
  }
  return { pcrs, drtm, steps };
}

function startupLocalityOf(events: readonly LocatedEvent[]): number | undefined {
  for (const event of events) {
    if (event.eventType !== EventType.EV_NO_ACTION || event.pcrIndex !== 0 || event.event.length !== 17) continue;
    const signature = String.fromCharCode(...event.event.subarray(0, 16));
    if (signature === STARTUP_LOCALITY_SIGNATURE) return event.event[16];
  }
  return undefined;
}

export interface PcrMismatch {
  readonly bank: HashAlgorithm;
  readonly pcr: number;
  readonly expected: Uint8Array;
  readonly actual: Uint8Array;
  /** the first record extended into this PCR, the earliest event that can explain the difference */
  readonly firstEvent?: LocatedEvent;
}

/** Compares replayed values with values read from a TPM (or expected ones), PCR by PCR. */
export function comparePcrs(replay: Replay, actual: PcrBanks, pcrs: readonly number[]): PcrMismatch[] {
  const mismatches: PcrMismatch[] = [];
  for (const [bank, values] of replay.pcrs) {
    const actualBank = actual.get(bank);
    if (actualBank === undefined) continue;
    for (const pcr of pcrs) {
      const expected = values.get(pcr) as Uint8Array;
      const found = actualBank.get(pcr);
      if (found === undefined || bytesEqual(expected, found)) continue;
      const firstEvent = replay.steps.find((step) => step.event.pcrIndex === pcr)?.event;
      mismatches.push({ bank, pcr, expected, actual: found, ...(firstEvent ? { firstEvent } : {}) });
    }
  }
  return mismatches;
}
