import { parseEventLog, replayEventLog } from "@novakit/txt-launch";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { fuzzSeeds } from "../../seeds/fuzz-seeds.js";

/**
 * `novakit verify-log`: txt-launch's strict TCG crypto-agile event-log parser (Spec ID Event03
 * header, TCG_PCR_EVENT2 records) and the PCR replay over what it parsed. Seeds: the logs the
 * measured launches of examples/configs/txt-intel and skinit-amd write (`boot --event-log`).
 */
export const tcgEventLogTarget: StructuredFuzzTarget = {
  name: "tcg-event-log",
  description: "TCG crypto-agile event log parser + PCR replay (txt-launch, `novakit verify-log`)",
  seeds: () => fuzzSeeds("tcg-event-log", ".bin"),
  execute(input) {
    const parsed = parseEventLog(input, "fuzz.eventlog");
    replayEventLog(parsed.header, parsed.events);
  },
  structure: {
    // "Spec ID Event03\0" and the algorithm ids of SHA-1/256/384/512/SM3 as little-endian u16 (reference/txt-tpm.md §8.2)
    dictionary: ["Spec ID Event03\u0000", Uint8Array.of(0x04, 0x00), Uint8Array.of(0x0b, 0x00), Uint8Array.of(0x0c, 0x00), Uint8Array.of(0x0d, 0x00), Uint8Array.of(0x12, 0x00), Uint8Array.of(0x03, 0, 0, 0)],
  },
};
