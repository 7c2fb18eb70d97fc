import { PhysicalMemory } from "@novakit/kernel-core";
import { encodeCompletionWait } from "../../command/encode-command.js";
import type { CommandWords } from "../../command/command-types.js";
import { decodeEvent } from "../../event-log/event-codec.js";
import type { IommuEvent } from "../../event-log/event-types.js";
import { encodeDeviceTableBase, encodeRingBase, RING_POINTER_MASK } from "../../mmio/base-registers.js";
import { IommuControl } from "../../mmio/control-bits.js";
import { IommuMmio } from "../../mmio/mmio-offsets.js";
import { AmdIommu } from "../amd-iommu.js";
import type { AmdIommuOptions } from "../amd-iommu-options.js";

/** A Zen desktop EFR image (amd-iommu.md §7.1): HATS 2, IASup, PCSup, PerfOptSup, no XTSup. */
export const ZEN_EFR = 0x000f_77ef_2229_4adan;
export const DEVICE_TABLE_BASE = 0x20_0000n;
export const COMMAND_RING = 0x1_0000n;
export const EVENT_LOG = 0x1_1000n;
export const DOORBELL = 0x1_2000n;
/** 256 entries of 16 bytes: NOVA's 4 KiB queues (nova.md §4.3) */
export const RING_BYTES = 0x1000n;

export function createUnit(memory: PhysicalMemory, options: Partial<AmdIommuOptions> = {}): AmdIommu {
  return new AmdIommu({ memory, mmioBase: 0xfd20_0000n, segment: 0, deviceId: 0x0002, efr: ZEN_EFR, efr2: 0n, ...options });
}

/**
 * A minimal driver for the tests, programming the unit the way NOVA's init does (nova.md §4.4
 * steps 7-10) and submitting commands the way its cmdq_submit does (§4.5): commands at the tail,
 * then CMD_TAIL. It reads events like NOVA's handler (head to tail, then EVT_HEAD).
 */
export class TestDriver {
  private commandTail = 0n;
  private eventHead = 0n;
  private sequence = 0n;

  constructor(
    readonly unit: AmdIommu,
    readonly memory: PhysicalMemory,
    readonly rings: { readonly commands: bigint; readonly events: bigint } = { commands: COMMAND_RING, events: EVENT_LOG },
  ) {}

  static started(memory = new PhysicalMemory(), options: Partial<AmdIommuOptions> = {}): TestDriver {
    const driver = new TestDriver(createUnit(memory, options), memory);
    driver.init();
    return driver;
  }

  init(control = IommuControl.CMD_BUF_EN | IommuControl.COHERENT | IommuControl.EVENT_INT_EN | IommuControl.EVENT_LOG_EN | IommuControl.IOMMU_EN): void {
    this.unit.mmioWrite64(IommuMmio.DEV_TBL_BASE, encodeDeviceTableBase({ base: DEVICE_TABLE_BASE, sizeField: 0x1ff }));
    this.unit.mmioWrite64(IommuMmio.CMD_BUF_BASE, encodeRingBase({ base: this.rings.commands, lengthCode: 8 }));
    this.unit.mmioWrite64(IommuMmio.EVT_LOG_BASE, encodeRingBase({ base: this.rings.events, lengthCode: 8 }));
    this.unit.mmioWrite64(IommuMmio.EXCL_BASE, 0n);
    this.unit.mmioWrite64(IommuMmio.CONTROL, control);
    this.commandTail = 0n;
    this.eventHead = 0n;
  }

  /** write the commands at the tail and ring the doorbell (CMD_TAIL) */
  submit(...commands: CommandWords[]): void {
    for (const [low, high] of commands) {
      this.memory.write64(this.rings.commands + this.commandTail, low);
      this.memory.write64(this.rings.commands + this.commandTail + 8n, high);
      this.commandTail = (this.commandTail + 16n) % RING_BYTES;
    }
    this.unit.mmioWrite64(IommuMmio.CMD_TAIL, this.commandTail);
  }

  /** submit commands plus a COMPLETION_WAIT storing a new sequence number; true when it completed */
  submitAndWait(...commands: CommandWords[]): boolean {
    this.sequence += 1n;
    this.submit(...commands, encodeCompletionWait({ store: true, interrupt: false, storeAddress: DOORBELL, storeData: this.sequence }));
    return this.memory.read64(DOORBELL) === this.sequence;
  }

  /** consume every event between the software head and EVT_TAIL */
  drainEvents(): IommuEvent[] {
    const tail = this.unit.mmioRead64(IommuMmio.EVT_TAIL) & RING_POINTER_MASK;
    const events: IommuEvent[] = [];
    while (this.eventHead !== tail) {
      const at = this.rings.events + this.eventHead;
      events.push(decodeEvent([this.memory.read64(at), this.memory.read64(at + 8n)]));
      this.eventHead = (this.eventHead + 16n) % RING_BYTES;
    }
    this.unit.mmioWrite64(IommuMmio.EVT_HEAD, this.eventHead);
    return events;
  }
}
