import type { PhysicalMemory } from "@novakit/kernel-core";
import type { IommuHardware } from "./iommu-hardware.js";
import { decodeIommuEvent, type IommuEvent } from "./iommu-event.js";
import { MmioRegister, QUEUE_ENTRIES, QUEUE_ENTRY_BYTES, QUEUE_POINTER_MASK } from "./mmio-registers.js";

/**
 * Software's side of one unit's 4 KiB event log (reference/amd-iommu.md §6.1, nova.md §4.7): the
 * IOMMU writes at EVT_TAIL, the driver reads from its own head up to the tail and then writes
 * EVT_HEAD once, freeing the entries for the hardware.
 */
export class EventLogReader {
  /** the software head, an entry index */
  private head = 0;

  constructor(
    private readonly hardware: IommuHardware,
    private readonly memory: PhysicalMemory,
    readonly base: bigint,
    /** ring entries, 2^EventLen (amd-iommu.md §2.2 Event Log Base 59:56: 256..32768); NOVA's is 256 */
    readonly entries: number = QUEUE_ENTRIES,
  ) {}

  /** EventLen, the log2 of the entry count, as the Event Log Base register holds it */
  get lengthLog2(): number {
    return Math.log2(this.entries);
  }

  reset(): void {
    this.head = 0;
  }

  /** every event from the software head up to EVT_TAIL, oldest first; EVT_HEAD is written after */
  consume(): IommuEvent[] {
    const tail = Number((this.hardware.mmioRead64(MmioRegister.EVT_TAIL) & QUEUE_POINTER_MASK) / BigInt(QUEUE_ENTRY_BYTES));
    const events: IommuEvent[] = [];
    while (this.head !== tail) {
      const at = this.base + BigInt(this.head * QUEUE_ENTRY_BYTES);
      events.push(decodeIommuEvent(this.memory.read64(at), this.memory.read64(at + 8n)));
      this.head = (this.head + 1) % this.entries;
    }
    if (events.length > 0) this.hardware.mmioWrite64(MmioRegister.EVT_HEAD, BigInt(this.head * QUEUE_ENTRY_BYTES));
    return events;
  }
}
