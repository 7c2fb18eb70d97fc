import { NovakitError } from "../../errors/novakit-error.js";
import type { DmaRequest, DmaResult } from "../../hooks/hook-types.js";
import type { PhysicalMemory } from "../../memory/physical-memory.js";
import type { DmaEngineCounters, DmaLanding, DmaTransferResult, MemoryOwner } from "./device-api.js";
import { dmaCostNs } from "./device-timing.js";

/**
 * PCIe Base Specification r4.0 §2.2.7 (Memory Request rules): "Requests must not specify an
 * Address/Length combination which causes a Memory Space access to cross a 4-KB boundary."
 * A bus master therefore splits every transfer at 4 KiB boundaries; each piece is one
 * transaction and one `dma` hook call, exactly what an IOMMU sees and translates page by page.
 */
export const PCIE_BOUNDARY = 4096;
/** the largest single driver-level transfer the engine accepts (a sanity bound on input) */
export const MAX_DMA_TRANSFER_BYTES = 64 * 1024 * 1024;
const BUS_ADDRESS_LIMIT = 1n << 64n;

/** What a DMA engine is connected to: the `dma` hook (the IOMMU, if any) and memory. */
export interface DmaBus {
  /** hooks.dma.call: a translation, an abort, or undefined when no IOMMU answers */
  translate(request: DmaRequest): DmaResult | undefined;
  readonly memory: PhysicalMemory;
  /**
   * true when memory decodes [physical, +length): a request to an address no memory region of
   * the platform covers completes with Unsupported Request (PCIe Base r4.0 §2.3.1) and is aborted
   */
  decodes(physical: bigint, length: number): boolean;
}

/**
 * Sees every transaction that reached memory: says whose memory it was (forensics for results)
 * and records writes (the domain-memory ledger uses them for its expected hash).
 */
export interface DmaObserver {
  completed(physicalAddress: bigint, length: number, write: boolean, data: Uint8Array | undefined): MemoryOwner;
}

const UNOBSERVED: DmaObserver = { completed: () => ({ kind: "unowned" }) };

/**
 * The bus-master engine of one PCI function. Every transaction goes through the `dma` hook:
 *  - `{ ok: true, physicalAddress }`: the access is made at that physical address;
 *  - `{ ok: false }`: the transaction is aborted and never touches memory. A read completes with
 *    all-ones data: the IOMMU target-aborts the request (reference/amd-iommu.md §4.3), the
 *    completion carries Completer Abort / Unsupported Request status and no data (PCIe Base r4.0
 *    §2.3.2), and the requester sees all 1s, as a host bridge returns for a master-aborted read
 *    (PCI Local Bus r3.0 §3.3.3.1). A write is dropped;
 *  - no answer (no IOMMU): the bus address IS the physical address. This is the danger the IOMMU
 *    is about, so it is counted separately (`untranslated`) wherever it happens.
 */
export class DmaEngine {
  private readonly count = { attempted: 0, completed: 0, aborted: 0, untranslated: 0, bytesRead: 0, bytesWritten: 0, bytesAborted: 0 };

  constructor(
    readonly sbdf: number,
    private readonly bus: DmaBus,
    private readonly observer: DmaObserver = UNOBSERVED,
  ) {}

  counters(): DmaEngineCounters {
    return { ...this.count };
  }

  read(address: bigint, length: number): DmaTransferResult {
    checkTransfer(address, length);
    const data = new Uint8Array(length).fill(0xff);
    return this.transfer(address, length, false, data);
  }

  write(address: bigint, bytes: Uint8Array): DmaTransferResult {
    checkTransfer(address, bytes.length);
    return this.transfer(address, bytes.length, true, bytes);
  }

  private transfer(address: bigint, length: number, write: boolean, buffer: Uint8Array): DmaTransferResult {
    const landed: DmaLanding[] = [];
    let transactions = 0;
    let completed = 0;
    let aborted = 0;
    let untranslated = 0;
    let done = 0;
    while (done < length) {
      const at = address + BigInt(done);
      const chunk = Math.min(PCIE_BOUNDARY - Number(at & BigInt(PCIE_BOUNDARY - 1)), length - done);
      const piece = buffer.subarray(done, done + chunk);
      transactions++;
      this.count.attempted++;
      const answer = this.bus.translate({ sbdf: this.sbdf, address: at, length: chunk, write, ...(write ? { data: piece } : {}) });
      if (answer === undefined) {
        untranslated++;
        this.count.untranslated++;
      }
      const physical = answer === undefined ? at : answer.ok ? answer.physicalAddress : undefined;
      if (physical === undefined || !this.bus.decodes(physical, chunk)) {
        // aborted by the IOMMU, or an untranslated address no memory decodes: nothing is touched
        aborted++;
        this.count.aborted++;
        this.count.bytesAborted += chunk;
      } else {
        if (write) {
          this.bus.memory.writeBytes(physical, piece);
          this.count.bytesWritten += chunk;
        } else {
          const supplied = answer !== undefined && answer.ok ? answer.data : undefined;
          piece.set(supplied !== undefined && supplied.length === chunk ? supplied : this.bus.memory.readBytes(physical, chunk));
          this.count.bytesRead += chunk;
        }
        completed++;
        this.count.completed++;
        const owner = this.observer.completed(physical, chunk, write, write ? piece : undefined);
        landed.push({ address: at, physicalAddress: physical, length: chunk, write, owner });
      }
      done += chunk;
    }
    return {
      transactions,
      completed,
      aborted,
      untranslated,
      ...(write ? {} : { data: buffer }),
      landed,
      costNs: dmaCostNs(transactions, length),
    };
  }
}

function checkTransfer(address: bigint, length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_DMA_TRANSFER_BYTES) {
    throw new NovakitError("NK-DEV-001", `DMA length ${length} is not an integer in 0..${MAX_DMA_TRANSFER_BYTES}`, { field: "length" });
  }
  if (address < 0n || address + BigInt(length) > BUS_ADDRESS_LIMIT) {
    throw new NovakitError("NK-DEV-002", `DMA address 0x${address.toString(16)} (+${length} bytes) lies outside the 64-bit bus address space`, {
      field: "address",
    });
  }
}
