import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import type { HashAlgorithm } from "../tpm/tpm.js";
import type { LocatedEvent, SpecIdEvent } from "./event-log-types.js";
import { EventType, NOT_EXTENDED_PCR } from "./event-types.js";
import { ALGORITHM_BY_ID, digestSizeOf, HEADER_RECORD_PREFIX, KNOWN_UNSUPPORTED_ALGORITHMS, SPEC_ID_FIXED, SPEC_ID_SIGNATURE } from "./spec-id-event.js";

/** More algorithms than TPM_ALG_ID has hash ids is not a log, it is noise. */
const MAX_ALGORITHMS = 16;
/** One event's data larger than this is refused (real DRTM events are bytes to kilobytes). */
export const MAX_EVENT_SIZE = 16 * 1024 * 1024;

export interface ParsedEventLog {
  readonly header: SpecIdEvent;
  readonly events: readonly LocatedEvent[];
}

/**
 * Strict parser of a TCG crypto-agile event log (txt-tpm.md §8): the header record must be a
 * Spec ID Event03 (PCR 0, EV_NO_ACTION, zero digest, eventSize = 29 + 4n + vendorInfoSize),
 * every algorithm must be one this verifier can replay with the standard digest size, and every
 * record must carry exactly the header's algorithms. Any violation is a NovakitError naming the
 * byte offset; nothing is guessed (a verifier that skips what it does not understand can be fooled).
 */
export function parseEventLog(bytes: Uint8Array, file = "event log"): ParsedEventLog {
  const reader = new LogReader(bytes, file);
  const header = parseHeader(reader);
  const events: LocatedEvent[] = [];
  while (reader.offset < bytes.length) events.push(parseRecord(reader, header, events.length + 1));
  return { header, events };
}

class LogReader {
  offset = 0;
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(count: number, what: string): void {
    if (count > this.bytes.length - this.offset) {
      throw this.error(LaunchDiagnostic.LOG_TRUNCATED, `the log ends inside ${what}: ${count} bytes needed, ${this.bytes.length - this.offset} left`, what);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }
  u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }
  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }
  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }
  error(code: string, message: string, field: string, offset = this.offset): NovakitError {
    return new NovakitError(code, message, { file: this.file, offset, field });
  }
}

function parseHeader(reader: LogReader): SpecIdEvent {
  const start = reader.offset;
  reader.need(HEADER_RECORD_PREFIX + SPEC_ID_FIXED, "the Spec ID header record");
  const pcrIndex = reader.u32("header.pcrIndex");
  const eventType = reader.u32("header.eventType");
  const sha1Digest = reader.take(20, "header.digest");
  const eventSize = reader.u32("header.eventSize");
  if (pcrIndex !== 0 || eventType !== EventType.EV_NO_ACTION || sha1Digest.some((byte) => byte !== 0)) {
    throw reader.error(LaunchDiagnostic.LOG_BAD_HEADER, "the first record is not a Spec ID header (PCR 0, EV_NO_ACTION, zero SHA-1 digest)", "header", start);
  }
  const signature = String.fromCharCode(...reader.take(16, "header.signature"));
  if (signature !== SPEC_ID_SIGNATURE) {
    const printable = signature.replace(/[^\x20-\x7e]/g, ".");
    throw reader.error(LaunchDiagnostic.LOG_BAD_HEADER, `the header signature is "${printable}", not "Spec ID Event03" (only crypto-agile TPM 2.0 logs are supported)`, "header.signature", start + 32);
  }
  const platformClass = reader.u32("header.platformClass");
  const specVersionMinor = reader.u8("header.specVersionMinor");
  const specVersionMajor = reader.u8("header.specVersionMajor");
  const specErrata = reader.u8("header.specErrata");
  const uintnSize = reader.u8("header.uintnSize");
  if (uintnSize !== 1 && uintnSize !== 2) {
    throw reader.error(LaunchDiagnostic.LOG_BAD_HEADER, `uintnSize is ${uintnSize}; the specification allows 1 (UINT32) or 2 (UINT64)`, "header.uintnSize", reader.offset - 1);
  }
  const countOffset = reader.offset;
  const count = reader.u32("header.numberOfAlgorithms");
  if (count === 0 || count > MAX_ALGORITHMS) {
    throw reader.error(LaunchDiagnostic.LOG_ABSURD_COUNT, `the header lists ${count} algorithms (1 to ${MAX_ALGORITHMS} allowed)`, "header.numberOfAlgorithms", countOffset);
  }
  const algorithms: HashAlgorithm[] = [];
  for (let i = 0; i < count; i++) {
    const entryOffset = reader.offset;
    const id = reader.u16(`header.digestSizes[${i}].algorithmId`);
    const size = reader.u16(`header.digestSizes[${i}].digestSize`);
    const algorithm = knownAlgorithm(reader, id, `header.digestSizes[${i}].algorithmId`, entryOffset);
    if (size !== digestSizeOf(algorithm)) {
      throw reader.error(LaunchDiagnostic.LOG_BAD_DIGEST_SIZE, `${algorithm} digests are ${digestSizeOf(algorithm)} bytes, the header says ${size}`, `header.digestSizes[${i}].digestSize`, entryOffset + 2);
    }
    if (algorithms.includes(algorithm)) {
      throw reader.error(LaunchDiagnostic.LOG_BAD_HEADER, `the header lists ${algorithm} twice`, `header.digestSizes[${i}]`, entryOffset);
    }
    algorithms.push(algorithm);
  }
  const vendorInfoSize = reader.u8("header.vendorInfoSize");
  const vendorInfo = reader.take(vendorInfoSize, "header.vendorInfo");
  const expectedSize = 29 + 4 * count + vendorInfoSize;
  if (eventSize !== expectedSize) {
    throw reader.error(
      LaunchDiagnostic.LOG_BAD_HEADER,
      `the header's eventSize is ${eventSize}, but its Spec ID event is ${expectedSize} bytes (29 + 4 x ${count} algorithms + ${vendorInfoSize} vendor bytes)`,
      "header.eventSize",
      start + 28,
    );
  }
  return { platformClass, specVersionMinor, specVersionMajor, specErrata, uintnSize, algorithms, vendorInfo };
}

function knownAlgorithm(reader: LogReader, id: number, field: string, offset: number): HashAlgorithm {
  const algorithm = ALGORITHM_BY_ID.get(id);
  if (algorithm !== undefined) return algorithm;
  const named = KNOWN_UNSUPPORTED_ALGORITHMS.get(id);
  throw reader.error(
    LaunchDiagnostic.LOG_UNKNOWN_ALGORITHM,
    `algorithm 0x${id.toString(16).padStart(4, "0")}${named ? ` (${named})` : ""} is not one this verifier replays (SHA-1, SHA-256, SHA-384, SHA-512)`,
    field,
    offset,
  );
}

function parseRecord(reader: LogReader, header: SpecIdEvent, number: number): LocatedEvent {
  const start = reader.offset;
  const where = `events[${number}]`;
  const pcrIndex = reader.u32(`${where}.pcrIndex`);
  if (pcrIndex > 23 && pcrIndex !== NOT_EXTENDED_PCR) {
    throw reader.error(LaunchDiagnostic.LOG_BAD_PCR, `record ${number} names PCR ${pcrIndex}; a TPM has PCRs 0-23 (0xFF marks a record that is not extended)`, `${where}.pcrIndex`, start);
  }
  const eventType = reader.u32(`${where}.eventType`);
  const countOffset = reader.offset;
  const count = reader.u32(`${where}.digests.count`);
  if (count !== header.algorithms.length) {
    throw reader.error(
      count > MAX_ALGORITHMS ? LaunchDiagnostic.LOG_ABSURD_COUNT : LaunchDiagnostic.LOG_DIGEST_MISMATCH,
      `record ${number} carries ${count} digests; the header lists ${header.algorithms.length} algorithms`,
      `${where}.digests.count`,
      countOffset,
    );
  }
  const digests = new Map<HashAlgorithm, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const idOffset = reader.offset;
    const algorithm = knownAlgorithm(reader, reader.u16(`${where}.digests[${i}].hashAlg`), `${where}.digests[${i}].hashAlg`, idOffset);
    if (!header.algorithms.includes(algorithm) || digests.has(algorithm)) {
      throw reader.error(LaunchDiagnostic.LOG_DIGEST_MISMATCH, `record ${number} has a ${algorithm} digest ${digests.has(algorithm) ? "twice" : "that the header does not list"}`, `${where}.digests[${i}].hashAlg`, idOffset);
    }
    digests.set(algorithm, reader.take(digestSizeOf(algorithm), `${where}.digests[${i}].digest`));
  }
  const sizeOffset = reader.offset;
  const eventSize = reader.u32(`${where}.eventSize`);
  if (eventSize > MAX_EVENT_SIZE) {
    throw reader.error(LaunchDiagnostic.LOG_ABSURD_COUNT, `record ${number} claims ${eventSize} bytes of event data (at most ${MAX_EVENT_SIZE})`, `${where}.eventSize`, sizeOffset);
  }
  const event = reader.take(eventSize, `${where}.event`);
  return { pcrIndex, eventType, digests, event, number, offset: start };
}
