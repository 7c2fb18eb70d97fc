import type { DomainMemoryView, NvmeHandle } from "../../devices/device-api.js";
import { decodeCompletion, encodeSubmission, NVME_CQE_BYTES, NVME_PAGE_SIZE, NVME_SQE_BYTES } from "../../devices/nvme-commands.js";
import type { UserlandApi } from "../../workload.js";
import type { BufferArena } from "./buffer-arena.js";

/** the driver reading and consuming one completion entry */
const COMPLETION_HANDLING_NS = 100;

export interface NvmeIoOutcome {
  /** the completion's status code (0 = success), or -1 when no completion with the right phase appeared */
  readonly status: number;
  readonly commandId: number;
}

/**
 * The driver side of the model NVMe controller: submission entries written into the SQ in its
 * own memory, the SQ tail doorbell, then the completion found at CQ head by its phase tag (the
 * phase the driver expects flips on every wrap), and the CQ head doorbell. Transfers use PRP1,
 * PRP2 or a PRP list page as NVMe 1.4 §4.3 asks for the buffer's size.
 */
export class NvmeDriver {
  private readonly sq: bigint;
  private readonly cq: bigint;
  private readonly prpList: bigint;
  private sqTail = 0;
  private cqHead = 0;
  private phase: 0 | 1 = 1;
  private nextCommandId = 0;

  constructor(
    private readonly api: UserlandApi,
    private readonly nvme: NvmeHandle,
    private readonly memory: DomainMemoryView,
    arena: BufferArena,
    private readonly entries: number,
  ) {
    this.sq = arena.take(entries * NVME_SQE_BYTES);
    this.cq = arena.take(entries * NVME_CQE_BYTES);
    this.prpList = arena.take(NVME_PAGE_SIZE);
    this.memory.write(this.cq, new Uint8Array(entries * NVME_CQE_BYTES));
    nvme.configureQueues({ submissionQueue: this.sq, completionQueue: this.cq, entries });
  }

  /** READ (02h) or WRITE (01h) of `blocks` blocks at `lba` to/from the page-aligned `buffer` */
  async io(opcode: number, lba: bigint, blocks: number, buffer: bigint): Promise<NvmeIoOutcome> {
    const length = blocks * this.nvme.blockSize;
    const pages = Math.ceil(length / NVME_PAGE_SIZE);
    let prp2 = 0n;
    if (pages === 2) prp2 = buffer + BigInt(NVME_PAGE_SIZE);
    if (pages > 2) {
      const list = new Uint8Array((pages - 1) * 8);
      const view = new DataView(list.buffer);
      for (let page = 1; page < pages; page++) view.setBigUint64((page - 1) * 8, buffer + BigInt(page * NVME_PAGE_SIZE), true);
      this.memory.write(this.prpList, list);
      prp2 = this.prpList;
    }
    const commandId = this.nextCommandId;
    this.nextCommandId = (this.nextCommandId + 1) & 0xffff;
    this.memory.write(
      this.sq + BigInt(this.sqTail * NVME_SQE_BYTES),
      encodeSubmission({ opcode, commandId, namespaceId: 1, prp1: buffer, prp2, startingLba: lba, blockCount: blocks - 1 }),
    );
    this.sqTail = (this.sqTail + 1) % this.entries;
    await this.nvme.ringSubmissionDoorbell(this.sqTail);
    const entry = decodeCompletion(this.memory.read(this.cq + BigInt(this.cqHead * NVME_CQE_BYTES), NVME_CQE_BYTES));
    if (entry.phase !== this.phase || entry.commandId !== commandId) return { status: -1, commandId };
    this.cqHead = (this.cqHead + 1) % this.entries;
    if (this.cqHead === 0) this.phase = this.phase === 1 ? 0 : 1;
    this.nvme.ringCompletionDoorbell(this.cqHead);
    await this.api.compute(COMPLETION_HANDLING_NS);
    return { status: entry.statusCode, commandId };
  }
}

