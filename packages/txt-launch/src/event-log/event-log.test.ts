import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isNovakitError } from "@novakit/kernel-core";
import { toHex } from "../measure/digests.js";
import type { HashAlgorithm } from "../tpm/tpm.js";
import { encodeEventLog, specIdFor } from "./encode-event-log.js";
import type { TcgPcrEvent2 } from "./event-log-types.js";
import { EventType } from "./event-types.js";
import { parseEventLog } from "./parse-event-log.js";
import { replayEventLog } from "./replay-event-log.js";

const h = (algorithm: string, data: string | Uint8Array): Uint8Array => new Uint8Array(createHash(algorithm).update(data).digest());
const event = (pcrIndex: number, eventType: number, data: string, banks: readonly HashAlgorithm[]): TcgPcrEvent2 => ({
  pcrIndex,
  eventType,
  digests: new Map(banks.map((bank) => [bank, h(bank, data)])),
  event: new TextEncoder().encode(data),
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isNovakitError(error)) return error.code;
    throw error;
  }
  return "no error";
}

describe("crypto-agile event log", () => {
  it("writes the Spec ID header as txt-tpm.md §8.1-8.2 lays it out (37 bytes with two banks, 45 with four)", () => {
    const two = encodeEventLog({ header: specIdFor(["sha1", "sha256"]), events: [] });
    const view = new DataView(two.buffer);
    expect(view.getUint32(0, true)).toBe(0);
    expect(view.getUint32(4, true)).toBe(EventType.EV_NO_ACTION);
    expect(view.getUint32(28, true)).toBe(37);
    expect(two.length).toBe(32 + 37);
    expect(new TextDecoder().decode(two.subarray(32, 48))).toBe("Spec ID Event03\0");
    expect([...two.subarray(60, 68)]).toEqual([0x04, 0x00, 0x14, 0x00, 0x0b, 0x00, 0x20, 0x00]);
    const four = encodeEventLog({ header: specIdFor(["sha1", "sha256", "sha384", "sha512"]), events: [] });
    expect(new DataView(four.buffer).getUint32(28, true)).toBe(45);
  });

  it("round-trips records and replays the verified worked example of txt-tpm.md §9", () => {
    const banks: HashAlgorithm[] = ["sha1", "sha256"];
    const log = encodeEventLog({
      header: specIdFor(banks),
      events: [event(17, EventType.EVTYPE_HASH_START, "secure loader image bytes", banks), event(17, EventType.EVTYPE_MLE_HASH, "MLE image", banks)],
    });
    const parsed = parseEventLog(log);
    expect(parsed.events.map((e) => [e.pcrIndex, e.eventType, new TextDecoder().decode(e.event)])).toEqual([
      [17, 0x402, "secure loader image bytes"],
      [17, 0x404, "MLE image"],
    ]);
    const replay = replayEventLog(parsed.header, parsed.events);
    expect(replay.drtm).toBe(true);
    expect(toHex(replay.pcrs.get("sha1")?.get(17) as Uint8Array)).toBe("f46db69de0cb720faf41aa5b25f9b34feda227dd");
    expect(toHex(replay.pcrs.get("sha256")?.get(17) as Uint8Array)).toBe("725d4fe2cd7707c8c32c8ec1ef65fcaaaa9bf1e52c248231b15e8ed1a593d060");
  });

  it("starts PCRs 17-22 at all-ones without a DRTM start and honours StartupLocality for PCR 0", () => {
    const banks: HashAlgorithm[] = ["sha256"];
    const locality = new Uint8Array(17);
    locality.set(new TextEncoder().encode("StartupLocality\0"));
    locality[16] = 3;
    const parsed = parseEventLog(
      encodeEventLog({ header: specIdFor(banks), events: [{ pcrIndex: 0, eventType: EventType.EV_NO_ACTION, digests: new Map([["sha256", new Uint8Array(32)]]), event: locality }, event(19, 6, "x", banks)] }),
    );
    const replay = replayEventLog(parsed.header, parsed.events);
    expect(replay.drtm).toBe(false);
    const pcr0 = replay.pcrs.get("sha256")?.get(0) as Uint8Array;
    expect(pcr0[31]).toBe(3);
    const ones = new Uint8Array(32).fill(0xff);
    const expected19 = h("sha256", Buffer.concat([ones, h("sha256", "x")]));
    expect(toHex(replay.pcrs.get("sha256")?.get(19) as Uint8Array)).toBe(toHex(expected19));
  });

  it("refuses truncated logs, wrong digest sizes, unknown algorithms and absurd counts with their own codes", () => {
    const banks: HashAlgorithm[] = ["sha1", "sha256"];
    const good = encodeEventLog({ header: specIdFor(banks), events: [event(17, 0x402, "abc", banks)] });
    expect(codeOf(() => parseEventLog(good.subarray(0, good.length - 1)))).toBe("NK-LOG-001");
    expect(codeOf(() => parseEventLog(good.subarray(0, 40)))).toBe("NK-LOG-001");
    const badSize = Uint8Array.from(good);
    new DataView(badSize.buffer).setUint16(62, 21, true); // SHA-1 listed with 21 bytes
    expect(codeOf(() => parseEventLog(badSize))).toBe("NK-LOG-004");
    const sm3 = Uint8Array.from(good);
    new DataView(sm3.buffer).setUint16(64, 0x0012, true);
    expect(codeOf(() => parseEventLog(sm3))).toBe("NK-LOG-003");
    const manyAlgorithms = Uint8Array.from(good);
    new DataView(manyAlgorithms.buffer).setUint32(56, 0xffffffff, true);
    expect(codeOf(() => parseEventLog(manyAlgorithms))).toBe("NK-LOG-005");
    const headerLength = 32 + 37;
    const hugeEvent = Uint8Array.from(good);
    new DataView(hugeEvent.buffer).setUint32(headerLength + 12 + 22 + 34, 0x7fffffff, true);
    expect(codeOf(() => parseEventLog(hugeEvent))).toBe("NK-LOG-005");
    const badPcr = Uint8Array.from(good);
    new DataView(badPcr.buffer).setUint32(headerLength, 24, true);
    expect(codeOf(() => parseEventLog(badPcr))).toBe("NK-LOG-007");
    const fewerDigests = Uint8Array.from(good);
    new DataView(fewerDigests.buffer).setUint32(headerLength + 8, 1, true);
    expect(codeOf(() => parseEventLog(fewerDigests))).toBe("NK-LOG-006");
    const notSpecId = Uint8Array.from(good);
    notSpecId[32 + 14] = 0x32; // "Spec ID Event02"
    expect(codeOf(() => parseEventLog(notSpecId))).toBe("NK-LOG-002");
    const vendorMismatch = Uint8Array.from(good);
    new DataView(vendorMismatch.buffer).setUint32(28, 38, true);
    expect(codeOf(() => parseEventLog(vendorMismatch))).toBe("NK-LOG-002");
  });
});
