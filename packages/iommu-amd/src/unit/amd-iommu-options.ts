import { NovakitError, type PhysicalMemory } from "@novakit/kernel-core";
import { EfrBit } from "../mmio/efr-bits.js";
import { MMIO_WINDOW_BYTES, MMIO_WINDOW_BYTES_WITH_COUNTERS } from "../mmio/mmio-offsets.js";

/** Why the unit asks for the driver's attention (the MSI or x2APIC interrupt, §2.4, §6.1). */
export type IommuInterruptCause =
  /** an event was written, or the log overflowed, while EventIntEn */
  | "EVENT_LOG"
  /** COMPLETION_WAIT with I=1 while ComWaitIntEn */
  | "COMPLETION_WAIT";

export interface AmdIommuOptions {
  /** the machine's physical memory: device table, I/O page tables, command ring and event log live here */
  readonly memory: PhysicalMemory;
  /** physical address of the MMIO window (IVHD base), naturally aligned to the window size */
  readonly mmioBase: bigint;
  /** PCI segment group */
  readonly segment: number;
  /** the IOMMU's own DeviceID (e.g. 00:00.2 = 0x0002) */
  readonly deviceId: number;
  /** Extended Feature Register (MMIO 0030h), read-only */
  readonly efr: bigint;
  /** EFR2 (MMIO 01A0h), read-only */
  readonly efr2: bigint;
  /** IOTLB entries (4 KiB pages) before the whole IOTLB is dropped; 1024 as QEMU by default */
  readonly iotlbCapacity?: number;
  /** cached device table entries before the cache is dropped; 1024 by default */
  readonly deviceTableCacheCapacity?: number;
  /** PCI capability IotlbSup (remote IOTLB invalidation); true by default */
  readonly iotlbSupported?: boolean;
  /**
   * Called when the unit raises its interrupt, after the MMIO write or translation that caused it
   * has finished (so the handler may program the unit again).
   */
  readonly onInterrupt?: (cause: IommuInterruptCause) => void;
  /**
   * Fault injection, deterministic: the command processor executes this many commands and then
   * stalls (as if stallCommands were set), so a later COMPLETION_WAIT never completes and the
   * driver's 5 ms wait times out. One-shot: clearing stallCommands recovers the unit for good.
   */
  readonly stallAfterCommands?: number;
}

export const DEFAULT_IOTLB_CAPACITY = 1024;
export const DEFAULT_DEVICE_TABLE_CACHE_CAPACITY = 1024;

function optionError(field: string, message: string): NovakitError {
  return new NovakitError("NK-IOMMU-209", `AMD IOMMU unit: ${message}`, { field });
}

function checkCapacity(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw optionError(field, `${field} ${value} is not a positive integer`);
}

/** Check the construction options (bad values are configuration errors, NK-IOMMU-209). */
export function validateAmdIommuOptions(options: AmdIommuOptions): void {
  for (const [field, value] of [["efr", options.efr], ["efr2", options.efr2]] as const) {
    if (value < 0n || value >= 1n << 64n) throw optionError(field, `${field} 0x${value.toString(16)} is not a 64-bit register value`);
  }
  const window = BigInt((options.efr & EfrBit.PC_SUP) !== 0n ? MMIO_WINDOW_BYTES_WITH_COUNTERS : MMIO_WINDOW_BYTES);
  if (options.mmioBase < 0n || options.mmioBase + window > 1n << 52n || options.mmioBase % window !== 0n) {
    throw optionError("mmioBase", `MMIO base 0x${options.mmioBase.toString(16)} is not a physical address aligned to the 0x${window.toString(16)}-byte window (§2.1)`);
  }
  if (!Number.isInteger(options.segment) || options.segment < 0 || options.segment > 0xffff) throw optionError("segment", `PCI segment ${options.segment} is not 16 bits`);
  if (!Number.isInteger(options.deviceId) || options.deviceId < 0 || options.deviceId > 0xffff) throw optionError("deviceId", `DeviceID ${options.deviceId} is not 16 bits`);
  checkCapacity("iotlbCapacity", options.iotlbCapacity);
  checkCapacity("deviceTableCacheCapacity", options.deviceTableCacheCapacity);
  const stallAfter = options.stallAfterCommands;
  if (stallAfter !== undefined && (!Number.isSafeInteger(stallAfter) || stallAfter < 0)) {
    throw optionError("stallAfterCommands", `stallAfterCommands ${stallAfter} is not a non-negative integer`);
  }
}
