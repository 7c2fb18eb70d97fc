import type { HashAlgorithm } from "../tpm/tpm.js";

/** The Spec ID Event03 of the first record (txt-tpm.md §8.2). */
export interface SpecIdEvent {
  /** 0 client, 1 server */
  readonly platformClass: number;
  readonly specVersionMinor: number;
  readonly specVersionMajor: number;
  readonly specErrata: number;
  /** 1 = UINT32, 2 = UINT64 */
  readonly uintnSize: number;
  /** the banks every record carries a digest for, in header order */
  readonly algorithms: readonly HashAlgorithm[];
  readonly vendorInfo: Uint8Array;
}

/** One TCG_PCR_EVENT2 record (txt-tpm.md §8.3). */
export interface TcgPcrEvent2 {
  readonly pcrIndex: number;
  readonly eventType: number;
  readonly digests: ReadonlyMap<HashAlgorithm, Uint8Array>;
  readonly event: Uint8Array;
}

/** A crypto-agile event log: the header and the records after it. */
export interface TcgEventLog {
  readonly header: SpecIdEvent;
  readonly events: readonly TcgPcrEvent2[];
}

/** A parsed record with where it sat in the file, for messages that name it. */
export interface LocatedEvent extends TcgPcrEvent2 {
  /** 1-based record number (the header is record 0) */
  readonly number: number;
  readonly offset: number;
}

/** PCR values per bank per PCR index. */
export type PcrBanks = Map<HashAlgorithm, Map<number, Uint8Array>>;
