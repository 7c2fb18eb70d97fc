import fc from "fast-check";
import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { TpmCommandProcessor } from "../embedded/command-processor.js";
import { HASH_ALGORITHMS } from "../tpm.js";
import {
  decodeGetRandom,
  decodePcrAllocation,
  decodePcrReadResponse,
  decodeSessionOnlyResponse,
  encodeGetPcrAllocation,
  encodeGetRandom,
  encodePcrExtend,
  encodePcrRead,
  encodePcrReset,
  encodeStartup,
  selectionFor,
} from "./commands.js";
import { decodeResponse } from "./framing.js";

/**
 * Robustness: whatever bytes arrive, the embedded TPM answers a well-formed response and never
 * throws, and the client decoders either return or throw an NK-TPM NovakitError (never a
 * RangeError or a TypeError).
 */
const VALID_COMMANDS: readonly Uint8Array[] = [
  encodeStartup("clear"),
  encodeGetRandom(40),
  encodePcrExtend(23, new Map(HASH_ALGORITHMS.map((bank) => [bank, new Uint8Array({ sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[bank])]))),
  encodePcrReset(16),
  encodePcrRead(selectionFor(["sha1", "sha256"], [0, 17, 23])),
  encodeGetPcrAllocation(),
];

/** A valid command with a few bytes overwritten, cut short or extended. */
const mutatedCommand = fc
  .tuple(fc.constantFrom(...VALID_COMMANDS), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -8, max: 8 }))
  .map(([command, edits, resize]) => {
    const bytes = Uint8Array.from(command);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    return resize < 0 ? bytes.subarray(0, Math.max(0, bytes.length + resize)) : Uint8Array.from([...bytes, ...new Uint8Array(resize)]);
  });

function checkWellFormed(response: Uint8Array): void {
  expect(response.length).toBeGreaterThanOrEqual(10);
  const view = new DataView(response.buffer, response.byteOffset, response.byteLength);
  expect([0x8001, 0x8002]).toContain(view.getUint16(0, false));
  expect(view.getUint32(2, false)).toBe(response.length);
}

function decodeEveryWay(bytes: Uint8Array): void {
  const decoders = [
    () => decodePcrReadResponse(decodeResponse(bytes, "fuzz"), "fuzz"),
    () => decodePcrAllocation(decodeResponse(bytes, "fuzz"), "fuzz"),
    () => decodeGetRandom(decodeResponse(bytes, "fuzz"), 64, "fuzz"),
    () => decodeSessionOnlyResponse(decodeResponse(bytes, "fuzz"), "fuzz"),
  ];
  for (const decode of decoders) {
    try {
      decode();
    } catch (error) {
      expect(error).toBeInstanceOf(NovakitError);
      expect((error as NovakitError).code).toMatch(/^NK-TPM-00[12]$/);
    }
  }
}

describe("fuzzing the TPM wire format", () => {
  it("the embedded TPM answers any bytes with a well-formed response", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutatedCommand), fc.integer({ min: 0, max: 4 }), (command, locality) => {
        const tpm = new TpmCommandProcessor();
        tpm.execute(encodeStartup("clear"), 0);
        checkWellFormed(tpm.execute(command, locality));
      }),
      { numRuns: 1000 },
    );
  });

  it("the client decoders turn any response bytes into a value or an NK-TPM-001/002 error", () => {
    const tpm = new TpmCommandProcessor();
    tpm.execute(encodeStartup("clear"), 0);
    const validResponses = VALID_COMMANDS.slice(1).map((command) => tpm.execute(command, 0));
    const mutatedResponse = fc
      .tuple(fc.constantFrom(...validResponses), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -8, max: 8 }))
      .map(([response, edits, resize]) => {
        const bytes = Uint8Array.from(response);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const sized = resize < 0 ? bytes.subarray(0, Math.max(0, bytes.length + resize)) : Uint8Array.from([...bytes, ...new Uint8Array(resize)]);
        // keep the size field honest half of the time so the decoders behind it get exercised
        if (sized.length >= 6 && resize % 2 === 0) new DataView(sized.buffer, sized.byteOffset).setUint32(2, sized.length, false);
        return sized;
      });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutatedResponse), decodeEveryWay), { numRuns: 1500 });
  });
});
