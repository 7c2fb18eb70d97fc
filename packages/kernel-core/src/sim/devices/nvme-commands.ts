/**
 * NVM Express 1.4 queue entries, bit-exact for the fields the model uses.
 *
 * Submission queue entry, 64 bytes (NVMe 1.4 §4.2 "Submission Queue Entry – Command Format";
 * the Read and Write commands of the NVM command set, §6, for CDW10-12):
 * | bytes | field |
 * | 03:00 | CDW0: bits 7:0 opcode (OPC), 9:8 fused (FUSE), 13:10 reserved, 15:14 PSDT (00b = PRPs), 31:16 command identifier (CID) |
 * | 07:04 | NSID |
 * | 15:08 | reserved (CDW2, CDW3) |
 * | 23:16 | MPTR metadata pointer |
 * | 31:24 | DPTR PRP entry 1 (PRP1) |
 * | 39:32 | DPTR PRP entry 2 (PRP2) |
 * | 47:40 | CDW10-11: starting LBA (SLBA) |
 * | 51:48 | CDW12: bits 15:0 number of logical blocks (NLB, 0's based), 30 FUA, 31 LR |
 * | 63:52 | CDW13-15 (dataset management, reference tags) |
 *
 * Completion queue entry, 16 bytes (§4.6 "Completion Queue Entry", status field §4.6.1):
 * | DW0 | command specific |
 * | DW1 | reserved |
 * | DW2 | bits 15:0 SQ head pointer (SQHD), 31:16 SQ identifier (SQID) |
 * | DW3 | bits 15:0 CID, bit 16 phase tag (P), bits 31:17 status field: SC 24:17, SCT 27:25, CRD 29:28, M 30, DNR 31 |
 */
export const NVME_SQE_BYTES = 64;
export const NVME_CQE_BYTES = 16;
/** CC.MPS = 0: memory page size 4 KiB, the PRP page size (§3.1.5) */
export const NVME_PAGE_SIZE = 4096;

export const NvmeOpcode = { FLUSH: 0x00, WRITE: 0x01, READ: 0x02 } as const;

/** Generic command status values, status code type 0 (§4.6.1.2; NVM command set specific from 80h) */
export const NvmeStatus = {
  SUCCESS: 0x00,
  INVALID_OPCODE: 0x01,
  INVALID_FIELD: 0x02,
  DATA_TRANSFER_ERROR: 0x04,
  INVALID_NAMESPACE: 0x0b,
  PRP_OFFSET_INVALID: 0x13,
  LBA_OUT_OF_RANGE: 0x80,
} as const;

export interface NvmeSubmission {
  readonly opcode: number;
  readonly fuse: number;
  readonly psdt: number;
  readonly commandId: number;
  readonly namespaceId: number;
  readonly metadataPointer: bigint;
  readonly prp1: bigint;
  readonly prp2: bigint;
  readonly startingLba: bigint;
  /** 0's based: 0 means one block */
  readonly blockCount: number;
  readonly forceUnitAccess: boolean;
  readonly limitedRetry: boolean;
}

export interface NvmeCompletionEntry {
  readonly commandSpecific: number;
  readonly submissionQueueHead: number;
  readonly submissionQueueId: number;
  readonly commandId: number;
  readonly phase: 0 | 1;
  readonly statusCode: number;
  readonly statusCodeType: number;
  readonly doNotRetry: boolean;
}

export function encodeSubmission(command: Partial<NvmeSubmission> & Pick<NvmeSubmission, "opcode" | "commandId">): Uint8Array {
  const bytes = new Uint8Array(NVME_SQE_BYTES);
  const view = new DataView(bytes.buffer);
  const cdw0 = (command.opcode & 0xff) | ((command.fuse ?? 0) & 0x3) << 8 | ((command.psdt ?? 0) & 0x3) << 14 | (command.commandId & 0xffff) << 16;
  view.setUint32(0, cdw0 >>> 0, true);
  view.setUint32(4, (command.namespaceId ?? 1) >>> 0, true);
  view.setBigUint64(16, BigInt.asUintN(64, command.metadataPointer ?? 0n), true);
  view.setBigUint64(24, BigInt.asUintN(64, command.prp1 ?? 0n), true);
  view.setBigUint64(32, BigInt.asUintN(64, command.prp2 ?? 0n), true);
  view.setBigUint64(40, BigInt.asUintN(64, command.startingLba ?? 0n), true);
  const cdw12 = ((command.blockCount ?? 0) & 0xffff) | (command.forceUnitAccess ? 1 << 30 : 0) | (command.limitedRetry ? 1 << 31 : 0);
  view.setUint32(48, cdw12 >>> 0, true);
  return bytes;
}

export function decodeSubmission(bytes: Uint8Array): NvmeSubmission {
  const view = new DataView(bytes.buffer, bytes.byteOffset, NVME_SQE_BYTES);
  const cdw0 = view.getUint32(0, true);
  const cdw12 = view.getUint32(48, true);
  return {
    opcode: cdw0 & 0xff,
    fuse: (cdw0 >>> 8) & 0x3,
    psdt: (cdw0 >>> 14) & 0x3,
    commandId: cdw0 >>> 16,
    namespaceId: view.getUint32(4, true),
    metadataPointer: view.getBigUint64(16, true),
    prp1: view.getBigUint64(24, true),
    prp2: view.getBigUint64(32, true),
    startingLba: view.getBigUint64(40, true),
    blockCount: cdw12 & 0xffff,
    forceUnitAccess: ((cdw12 >>> 30) & 1) === 1,
    limitedRetry: ((cdw12 >>> 31) & 1) === 1,
  };
}

export function encodeCompletion(entry: NvmeCompletionEntry): Uint8Array {
  const bytes = new Uint8Array(NVME_CQE_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, entry.commandSpecific >>> 0, true);
  view.setUint32(8, ((entry.submissionQueueHead & 0xffff) | ((entry.submissionQueueId & 0xffff) << 16)) >>> 0, true);
  const dw3 =
    (entry.commandId & 0xffff) | (entry.phase << 16) | ((entry.statusCode & 0xff) << 17) | ((entry.statusCodeType & 0x7) << 25) | (entry.doNotRetry ? 1 << 31 : 0);
  view.setUint32(12, dw3 >>> 0, true);
  return bytes;
}

export function decodeCompletion(bytes: Uint8Array): NvmeCompletionEntry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, NVME_CQE_BYTES);
  const dw2 = view.getUint32(8, true);
  const dw3 = view.getUint32(12, true);
  return {
    commandSpecific: view.getUint32(0, true),
    submissionQueueHead: dw2 & 0xffff,
    submissionQueueId: dw2 >>> 16,
    commandId: dw3 & 0xffff,
    phase: ((dw3 >>> 16) & 1) as 0 | 1,
    statusCode: (dw3 >>> 17) & 0xff,
    statusCodeType: (dw3 >>> 25) & 0x7,
    doNotRetry: ((dw3 >>> 31) & 1) === 1,
  };
}
