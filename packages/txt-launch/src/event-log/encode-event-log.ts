import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { TPM_ALG_ID } from "../tpm/tpm.js";
import { EventType } from "./event-types.js";
import type { SpecIdEvent, TcgEventLog, TcgPcrEvent2 } from "./event-log-types.js";
import { digestSizeOf, SPEC_ID_SIGNATURE } from "./spec-id-event.js";

/** A client-class Spec ID header for these banks, as SINIT writes it (txt-tpm.md §8.2, uintn UINT64). */
export function specIdFor(algorithms: SpecIdEvent["algorithms"]): SpecIdEvent {
  return { platformClass: 0, specVersionMinor: 0, specVersionMajor: 2, specErrata: 0, uintnSize: 2, algorithms, vendorInfo: new Uint8Array(0) };
}

/**
 * The log as bytes (txt-tpm.md §8.1-8.3, all integers little-endian): the SHA-1-style header
 * record carrying the Spec ID Event03, then one TCG_PCR_EVENT2 per event with a digest for every
 * header algorithm, in header order.
 */
export function encodeEventLog(log: TcgEventLog): Uint8Array {
  const parts: Uint8Array[] = [encodeHeaderRecord(log.header)];
  log.events.forEach((event, index) => parts.push(encodeRecord(log.header, event, index + 1)));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeHeaderRecord(header: SpecIdEvent): Uint8Array {
  const count = header.algorithms.length;
  if (header.vendorInfo.length > 0xff) {
    // vendorInfoSize is a single byte in the Spec ID event (txt-tpm.md §8.2)
    throw new NovakitError(LaunchDiagnostic.LOG_BAD_HEADER, `vendor info of ${header.vendorInfo.length} bytes does not fit the u8 vendorInfoSize`, { field: "header.vendorInfo" });
  }
  const eventSize = 29 + 4 * count + header.vendorInfo.length;
  const bytes = new Uint8Array(32 + eventSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0, true); // pcrIndex 0
  view.setUint32(4, EventType.EV_NO_ACTION, true);
  // 20-byte zero SHA-1 digest at 8
  view.setUint32(28, eventSize, true);
  for (let i = 0; i < 16; i++) bytes[32 + i] = SPEC_ID_SIGNATURE.charCodeAt(i);
  view.setUint32(48, header.platformClass, true);
  bytes[52] = header.specVersionMinor;
  bytes[53] = header.specVersionMajor;
  bytes[54] = header.specErrata;
  bytes[55] = header.uintnSize;
  view.setUint32(56, count, true);
  header.algorithms.forEach((algorithm, index) => {
    view.setUint16(60 + 4 * index, TPM_ALG_ID[algorithm], true);
    view.setUint16(62 + 4 * index, digestSizeOf(algorithm), true);
  });
  bytes[60 + 4 * count] = header.vendorInfo.length;
  bytes.set(header.vendorInfo, 61 + 4 * count);
  return bytes;
}

function encodeRecord(header: SpecIdEvent, event: TcgPcrEvent2, number: number): Uint8Array {
  const digestBytes = header.algorithms.reduce((sum, algorithm) => sum + 2 + digestSizeOf(algorithm), 0);
  const bytes = new Uint8Array(16 + digestBytes + event.event.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, event.pcrIndex, true);
  view.setUint32(4, event.eventType, true);
  view.setUint32(8, header.algorithms.length, true);
  let offset = 12;
  for (const algorithm of header.algorithms) {
    const digest = event.digests.get(algorithm);
    if (digest === undefined || digest.length !== digestSizeOf(algorithm)) {
      throw new NovakitError(
        LaunchDiagnostic.LOG_DIGEST_MISMATCH,
        `event ${number} (PCR ${event.pcrIndex}) has no ${digestSizeOf(algorithm)}-byte ${algorithm} digest, but the log header lists ${algorithm}`,
        { field: `events[${number}].digests.${algorithm}` },
      );
    }
    view.setUint16(offset, TPM_ALG_ID[algorithm], true);
    bytes.set(digest, offset + 2);
    offset += 2 + digest.length;
  }
  view.setUint32(offset, event.event.length, true);
  bytes.set(event.event, offset + 4);
  return bytes;
}
