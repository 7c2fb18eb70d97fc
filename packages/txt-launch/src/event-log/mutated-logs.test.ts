import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isNovakitError } from "@novakit/kernel-core";
import type { HashAlgorithm } from "../tpm/tpm.js";
import { encodeEventLog, specIdFor } from "./encode-event-log.js";
import { parseEventLog } from "./parse-event-log.js";
import { replayEventLog } from "./replay-event-log.js";

/** xorshift32: a seeded generator local to this test, so the 20 000 logs are the same every run. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function baseLog(): Uint8Array {
  const banks: HashAlgorithm[] = ["sha1", "sha256", "sha384", "sha512"];
  const events = [17, 17, 18, 19].map((pcrIndex, index) => ({
    pcrIndex,
    eventType: [0x402, 0x404, 0x410, 0x6][index] as number,
    digests: new Map(banks.map((bank) => [bank, new Uint8Array(createHash(bank).update(`event ${index}`).digest())])),
    event: new TextEncoder().encode(`data ${index}`),
  }));
  return encodeEventLog({ header: specIdFor(banks), events });
}

describe("20 000 mutated event logs", () => {
  it("give either a parsed log or a NovakitError with an NK-LOG code, never another exception", () => {
    const random = xorshift(0x6e6f7661);
    const base = baseLog();
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 20_000; round++) {
      let bytes = Uint8Array.from(base);
      const mutations = 1 + (random() % 4);
      for (let m = 0; m < mutations; m++) {
        const kind = random() % 5;
        const at = random() % bytes.length;
        if (kind === 0) bytes[at] = random() & 0xff; // random byte
        else if (kind === 1) bytes[at] = (bytes[at] as number) ^ (1 << (random() % 8)); // bit flip
        else if (kind === 2) bytes = bytes.subarray(0, at); // truncation
        else if (kind === 3) new DataView(bytes.buffer, bytes.byteOffset).setUint32(Math.min(at, Math.max(0, bytes.length - 4)) & ~0, random(), true); // a u32 field
        else {
          const longer = new Uint8Array(bytes.length + (random() % 64)); // trailing garbage
          longer.set(bytes);
          for (let i = bytes.length; i < longer.length; i++) longer[i] = random() & 0xff;
          bytes = longer;
        }
      }
      let outcome: string;
      try {
        const parsed = parseEventLog(bytes);
        // replay only a sample: the parser is what mutations attack, the replay is plain hashing
        if (round % 16 === 0) replayEventLog(parsed.header, parsed.events);
        outcome = "parsed";
      } catch (error) {
        // checked by hand, not with expect(): 20 000 matcher calls would dominate the run time
        if (!isNovakitError(error) || !/^NK-LOG-0\d\d$/.test(error.code) || typeof error.location.offset !== "number") {
          throw new Error(`round ${round}: not a clear NK-LOG error: ${String(error)}`);
        }
        outcome = error.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // the mutations reach every class of error, not just one
    for (const code of ["NK-LOG-001", "NK-LOG-002", "NK-LOG-003", "NK-LOG-005", "NK-LOG-006"]) expect(outcomes.get(code) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("parsed") ?? 0).toBeGreaterThan(0);
  });
});
