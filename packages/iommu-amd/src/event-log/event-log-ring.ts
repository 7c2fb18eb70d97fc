import type { PhysicalMemory } from "@novakit/kernel-core";
import { decodeRingBase, ringBytes, RING_ENTRY_BYTES } from "../mmio/base-registers.js";
import { IommuMmio } from "../mmio/mmio-offsets.js";
import type { IommuRegisterFile } from "../mmio/register-file.js";
import { IommuStatus } from "../mmio/status-bits.js";
import type { EventWords } from "./event-types.js";

/** What became of one event the hardware wanted to log. */
export type EventLogOutcome =
  /** written at the old tail; tail advanced; EventLogInt set */
  | "logged"
  /** the log was full: event dropped, EventOverflow set, logging stopped (EventLogRun = 0) */
  | "overflow"
  /** logging was not running (disabled, or stopped after an overflow): event dropped */
  | "not-running";

/**
 * The hardware side of the event log ring (reference/amd-iommu.md §6.1): entries are written at
 * EVT_TAIL in the ring at EVT_LOG_BASE, only while EventLogRun = 1 and EventOverflow = 0. The log
 * is full when one more entry would make tail == head, so at most N-1 entries are outstanding
 * (QEMU, VirtualBox). On overflow the event is discarded, EventOverflow is set and EventLogRun
 * drops: Linux's restart path only proceeds once EventLogRun reads 0, and NOVA halts the log
 * (EventLogEn 1->0) before re-enabling it, which is what clears the condition (nova.md §4.7).
 */
export function appendEvent(memory: PhysicalMemory, registers: IommuRegisterFile, words: EventWords): EventLogOutcome {
  const status = registers.raw(IommuMmio.STATUS);
  if ((status & IommuStatus.EVENT_LOG_RUN) === 0n || (status & IommuStatus.EVENT_OVERFLOW) !== 0n) return "not-running";
  const ring = decodeRingBase(registers.raw(IommuMmio.EVT_LOG_BASE));
  const bytes = BigInt(ringBytes(ring.lengthCode));
  const tail = registers.raw(IommuMmio.EVT_TAIL) % bytes;
  const head = registers.raw(IommuMmio.EVT_HEAD) % bytes;
  const next = (tail + BigInt(RING_ENTRY_BYTES)) % bytes;
  if (next === head) {
    registers.setHardware(IommuMmio.STATUS, (status | IommuStatus.EVENT_OVERFLOW) & ~IommuStatus.EVENT_LOG_RUN);
    return "overflow";
  }
  memory.write64(ring.base + tail, words[0]);
  memory.write64(ring.base + tail + 8n, words[1]);
  registers.setHardware(IommuMmio.EVT_TAIL, next);
  registers.setHardware(IommuMmio.STATUS, status | IommuStatus.EVENT_LOG_INT);
  return "logged";
}
