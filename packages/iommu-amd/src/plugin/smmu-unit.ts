import type { PhysicalMemory } from "@novakit/kernel-core";
import type { DeviceTable } from "../device-table/device-table.js";
import type { IvhdBlock } from "../ivrs/ivrs-types.js";
import { CommandQueue } from "./command-queue.js";
import type { CompletionDoorbells } from "./completion-doorbells.js";
import { EventLogReader } from "./event-log-reader.js";
import type { IommuHardware } from "./iommu-hardware.js";
import type { CommandWords } from "./nova-commands.js";

export interface SmmuUnitSetup {
  readonly hardware: IommuHardware;
  readonly memory: PhysicalMemory;
  /** the IVHD block it was created from (NOVA's `create(phys, sbdf, efr1, efr2)`, nova.md §4.2) */
  readonly ivhd: IvhdBlock;
  /** the segment's device table, shared with the other units of the segment */
  readonly deviceTable: DeviceTable;
  /** whether this unit allocated the segment's device table (the first of its segment) */
  readonly firstOfSegment: boolean;
  readonly commandQueueBase: bigint;
  readonly eventLogBase: bigint;
  /** event log entries (a power of two, 256..32768); default 256 as NOVA */
  readonly eventLogEntries?: number;
  readonly doorbells: CompletionDoorbells;
}

/**
 * The driver's record of one AMD IOMMU (NOVA's Smmu object): its MMIO window (through the
 * hardware), its own command queue and event log, the shared device table of its segment, and
 * the DomainIDs of devices assigned on its segment (which units must be told about a DMA-space
 * change, nova.md §4.1 `sync`).
 */
export class SmmuUnit {
  readonly hardware: IommuHardware;
  readonly ivhd: IvhdBlock;
  readonly deviceTable: DeviceTable;
  readonly firstOfSegment: boolean;
  readonly queue: CommandQueue;
  readonly eventLog: EventLogReader;

  constructor(setup: SmmuUnitSetup) {
    this.hardware = setup.hardware;
    this.ivhd = setup.ivhd;
    this.deviceTable = setup.deviceTable;
    this.firstOfSegment = setup.firstOfSegment;
    this.queue = new CommandQueue(setup.hardware, setup.memory, setup.commandQueueBase, setup.doorbells);
    this.eventLog = new EventLogReader(setup.hardware, setup.memory, setup.eventLogBase, setup.eventLogEntries);
  }

  get mmioBase(): bigint {
    return this.ivhd.baseAddress;
  }

  get segment(): number {
    return this.ivhd.pciSegment;
  }

  /** EFR as firmware reported it (IVHD 11h/40h image; 0 for a 10h block, as NOVA takes it, nova.md §4.2) */
  get efr(): bigint {
    return this.ivhd.efr ?? 0n;
  }

  get efr2(): bigint {
    return this.ivhd.efr2 ?? 0n;
  }

  /** "amd-vi@0xfed80000": how reports and logs name the unit */
  get name(): string {
    return `amd-vi@0x${this.mmioBase.toString(16)}`;
  }

  /** submit commands with NOVA's completion protocol; false on a timeout */
  submit(commands: readonly CommandWords[], cpu: number): boolean {
    return this.queue.submit(commands, cpu);
  }
}
