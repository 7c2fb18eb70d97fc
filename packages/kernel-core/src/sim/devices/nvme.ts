import { NovakitError } from "../../errors/novakit-error.js";
import type { NvmeDoorbellResult, NvmeQueueConfig } from "./device-api.js";
import { DeviceTiming } from "./device-timing.js";
import type { DmaEngine } from "./dma-engine.js";
import {
  decodeSubmission,
  encodeCompletion,
  NVME_CQE_BYTES,
  NVME_PAGE_SIZE,
  NVME_SQE_BYTES,
  NvmeOpcode,
  NvmeStatus,
  type NvmeSubmission,
} from "./nvme-commands.js";
import { NVME_BLOCK_SIZE, NvmeDisk } from "./nvme-disk.js";

/** the I/O queue pair the model serves (queue 0 is the admin queue) */
const IO_QUEUE_ID = 1;
/** MQES + 1 at most 64 Ki entries (§3.1.1 CAP.MQES is 0's based, 16 bits) */
const MAX_QUEUE_ENTRIES = 65536;
/** model namespace 1: 1 GiB of 512-byte blocks */
export const NVME_DEFAULT_CAPACITY_BLOCKS = 2 * 1024 * 1024;

interface QueuePair {
  readonly sq: bigint;
  readonly cq: bigint;
  readonly entries: number;
  sqHead: number;
  sqTail: number;
  cqTail: number;
  cqHead: number;
  /** phase tag the controller writes; inverted on every wrap of the CQ (§4.6) */
  phase: 0 | 1;
}

interface DataSegment {
  readonly address: bigint;
  readonly length: number;
}

type SegmentsOrStatus = { readonly segments: DataSegment[]; readonly costNs: number } | { readonly status: number; readonly costNs: number };

/**
 * An NVM Express controller (class 01h 08h 02h) with one namespace of 512-byte blocks on a
 * deterministic disk. The driver sets up I/O queue pair 1 (what Create I/O CQ/SQ would do), and
 * each SQ tail doorbell makes the controller fetch entries by DMA (64 bytes, nvme-commands.ts),
 * move data by DMA through PRP1/PRP2/PRP lists (§4.3), and post 16-byte completions with the
 * phase tag. READ (02h), WRITE (01h) and FLUSH (00h) are supported; anything else completes with
 * Invalid Command Opcode. An aborted data DMA completes the command with Data Transfer Error
 * (04h); an aborted queue DMA stalls the controller (as a real one reports a fatal status).
 */
export class NvmeController {
  readonly kind = "nvme" as const;
  readonly blockSize = NVME_BLOCK_SIZE;
  readonly disk: NvmeDisk;
  private queues: QueuePair | undefined;

  constructor(
    readonly engine: DmaEngine,
    seed: number,
    readonly capacityBlocks = NVME_DEFAULT_CAPACITY_BLOCKS,
  ) {
    this.disk = new NvmeDisk(capacityBlocks, seed);
  }

  configureQueues(config: NvmeQueueConfig): void {
    if (!Number.isInteger(config.entries) || config.entries < 2 || config.entries > MAX_QUEUE_ENTRIES) {
      throw new NovakitError("NK-DEV-030", `NVMe queues need 2..${MAX_QUEUE_ENTRIES} entries, got ${config.entries}`, { field: "entries" });
    }
    // queue bases are memory-page aligned when physically contiguous (Create I/O SQ/CQ, PRP1 offset 0)
    for (const [name, base] of [["submissionQueue", config.submissionQueue], ["completionQueue", config.completionQueue]] as const) {
      if (base < 0n || (base & BigInt(NVME_PAGE_SIZE - 1)) !== 0n) {
        throw new NovakitError("NK-DEV-030", `NVMe ${name} 0x${base.toString(16)} is not 4 KiB aligned`, { field: name });
      }
    }
    this.queues = { sq: config.submissionQueue, cq: config.completionQueue, entries: config.entries, sqHead: 0, sqTail: 0, cqTail: 0, cqHead: 0, phase: 1 };
  }

  ringCompletionDoorbell(head: number): void {
    const queues = this.queuePair();
    queues.cqHead = checkIndex(head, queues.entries, "CQ1HDBL");
  }

  ringSubmissionDoorbell(tail: number): NvmeDoorbellResult {
    const queues = this.queuePair();
    queues.sqTail = checkIndex(tail, queues.entries, "SQ1TDBL");
    let completed = 0;
    let errors = 0;
    let costNs = 0;
    while (queues.sqHead !== queues.sqTail) {
      // a full CQ (tail + 1 == head) holds further completions back until the driver consumes
      if ((queues.cqTail + 1) % queues.entries === queues.cqHead) break;
      const fetched = this.engine.read(queues.sq + BigInt(queues.sqHead * NVME_SQE_BYTES), NVME_SQE_BYTES);
      costNs += fetched.costNs;
      if (fetched.aborted > 0) return { completed, errors, stalled: true, costNs };
      const command = decodeSubmission(fetched.data!);
      queues.sqHead = (queues.sqHead + 1) % queues.entries;
      const executed = this.execute(command);
      costNs += executed.costNs;
      const posted = this.engine.write(
        queues.cq + BigInt(queues.cqTail * NVME_CQE_BYTES),
        encodeCompletion({
          commandSpecific: 0,
          submissionQueueHead: queues.sqHead,
          submissionQueueId: IO_QUEUE_ID,
          commandId: command.commandId,
          phase: queues.phase,
          statusCode: executed.status,
          statusCodeType: 0,
          doNotRetry: executed.status !== NvmeStatus.SUCCESS,
        }),
      );
      costNs += posted.costNs;
      if (posted.aborted > 0) return { completed, errors, stalled: true, costNs };
      queues.cqTail = (queues.cqTail + 1) % queues.entries;
      if (queues.cqTail === 0) queues.phase = queues.phase === 1 ? 0 : 1;
      completed++;
      if (executed.status !== NvmeStatus.SUCCESS) errors++;
    }
    return { completed, errors, stalled: false, costNs };
  }

  private execute(command: NvmeSubmission): { readonly status: number; readonly costNs: number } {
    if (command.opcode === NvmeOpcode.FLUSH) return { status: NvmeStatus.SUCCESS, costNs: DeviceTiming.NVME_COMMAND_NS };
    if (command.opcode !== NvmeOpcode.READ && command.opcode !== NvmeOpcode.WRITE) return { status: NvmeStatus.INVALID_OPCODE, costNs: 0 };
    if (command.namespaceId !== 1) return { status: NvmeStatus.INVALID_NAMESPACE, costNs: 0 };
    if (command.psdt !== 0 || command.fuse !== 0) return { status: NvmeStatus.INVALID_FIELD, costNs: 0 };
    const blocks = command.blockCount + 1;
    if (command.startingLba + BigInt(blocks) > BigInt(this.capacityBlocks)) return { status: NvmeStatus.LBA_OUT_OF_RANGE, costNs: 0 };
    const length = blocks * NVME_BLOCK_SIZE;
    const walk = this.dataSegments(command.prp1, command.prp2, length);
    if ("status" in walk) return walk;
    let costNs = walk.costNs + DeviceTiming.NVME_COMMAND_NS;
    if (command.opcode === NvmeOpcode.WRITE) {
      const data = new Uint8Array(length);
      let offset = 0;
      for (const segment of walk.segments) {
        const read = this.engine.read(segment.address, segment.length);
        costNs += read.costNs;
        if (read.aborted > 0) return { status: NvmeStatus.DATA_TRANSFER_ERROR, costNs };
        data.set(read.data!, offset);
        offset += segment.length;
      }
      this.disk.write(command.startingLba, data);
      return { status: NvmeStatus.SUCCESS, costNs };
    }
    const data = this.disk.read(command.startingLba, blocks);
    let offset = 0;
    let aborted = false;
    for (const segment of walk.segments) {
      const written = this.engine.write(segment.address, data.subarray(offset, offset + segment.length));
      costNs += written.costNs;
      if (written.aborted > 0) aborted = true;
      offset += segment.length;
    }
    return { status: aborted ? NvmeStatus.DATA_TRANSFER_ERROR : NvmeStatus.SUCCESS, costNs };
  }

  /**
   * The memory pages of a transfer (§4.3 Physical Region Page Entry and List): PRP1 holds a page
   * address with a dword-aligned offset; if the data reaches into a second page, PRP2 is that
   * page (transfer within two pages) or a PRP list pointer, whose page-aligned entries name the
   * following pages; the last entry of a full list page points to the next list page.
   */
  private dataSegments(prp1: bigint, prp2: bigint, length: number): SegmentsOrStatus {
    const pageMask = BigInt(NVME_PAGE_SIZE - 1);
    if ((prp1 & 3n) !== 0n) return { status: NvmeStatus.PRP_OFFSET_INVALID, costNs: 0 };
    const first = Math.min(length, NVME_PAGE_SIZE - Number(prp1 & pageMask));
    const segments: DataSegment[] = [{ address: prp1, length: first }];
    let remaining = length - first;
    if (remaining === 0) return { segments, costNs: 0 };
    if (remaining <= NVME_PAGE_SIZE) {
      if ((prp2 & pageMask) !== 0n) return { status: NvmeStatus.PRP_OFFSET_INVALID, costNs: 0 };
      segments.push({ address: prp2, length: remaining });
      return { segments, costNs: 0 };
    }
    if ((prp2 & 7n) !== 0n) return { status: NvmeStatus.PRP_OFFSET_INVALID, costNs: 0 };
    let costNs = 0;
    let list = prp2;
    while (remaining > 0) {
      const slots = (NVME_PAGE_SIZE - Number(list & pageMask)) / 8;
      const pagesLeft = Math.ceil(remaining / NVME_PAGE_SIZE);
      // every slot holds a data page, except the last of a list page that must chain further
      const entries = pagesLeft <= slots ? pagesLeft : slots;
      const read = this.engine.read(list, entries * 8);
      costNs += read.costNs;
      if (read.aborted > 0) return { status: NvmeStatus.DATA_TRANSFER_ERROR, costNs };
      const view = new DataView(read.data!.buffer, read.data!.byteOffset, entries * 8);
      const dataEntries = pagesLeft <= slots ? entries : entries - 1;
      for (let i = 0; i < dataEntries; i++) {
        const page = view.getBigUint64(i * 8, true);
        if ((page & pageMask) !== 0n) return { status: NvmeStatus.PRP_OFFSET_INVALID, costNs };
        const chunk = Math.min(remaining, NVME_PAGE_SIZE);
        segments.push({ address: page, length: chunk });
        remaining -= chunk;
      }
      if (remaining > 0) {
        list = view.getBigUint64((entries - 1) * 8, true);
        if ((list & 7n) !== 0n) return { status: NvmeStatus.PRP_OFFSET_INVALID, costNs };
      }
    }
    return { segments, costNs };
  }

  private queuePair(): QueuePair {
    if (!this.queues) {
      throw new NovakitError("NK-DEV-031", "the NVMe I/O queues are not configured", { field: "queues" }, "call configureQueues first");
    }
    return this.queues;
  }
}

function checkIndex(value: number, entries: number, register: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= entries) {
    throw new NovakitError("NK-DEV-032", `${register} = ${value} is outside the queue (0..${entries - 1})`, { field: register });
  }
  return value;
}
