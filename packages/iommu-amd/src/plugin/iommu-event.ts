import { IoFaultFlag } from "../translation/io-fault.js";

/** Event codes, bits 63:60 of an event (reference/amd-iommu.md §6.3, nova.md §4.7). */
export const EVENT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: "ILLEGAL_DEV_TABLE_ENTRY",
  2: "IO_PAGE_FAULT",
  3: "DEV_TAB_HARDWARE_ERROR",
  4: "PAGE_TAB_HARDWARE_ERROR",
  5: "ILLEGAL_COMMAND_ERROR",
  6: "COMMAND_HARDWARE_ERROR",
  7: "IOTLB_INV_TIMEOUT",
  8: "INVALID_DEVICE_REQUEST",
  9: "INVALID_PPR_REQUEST",
  10: "EVENT_COUNTER_ZERO",
  11: "GUEST_EVENT_FAULT",
  12: "VIOMMU_HARDWARE_ERROR",
  13: "RMP_PAGE_FAULT",
  14: "RMP_HARDWARE_ERROR",
});

export const EventCode = Object.freeze({
  ILLEGAL_DEV_TABLE_ENTRY: 1,
  IO_PAGE_FAULT: 2,
  ILLEGAL_COMMAND_ERROR: 5,
  COMMAND_HARDWARE_ERROR: 6,
} as const);

/**
 * One 128-bit event as the driver reads it from the log (§6.2): DeviceID 15:0, DomainID 47:32,
 * flags 59:48, code 63:60, address 127:64. NOVA logs operand 1 (bits 59:0) and operand 2 (the
 * second quadword) of every event (nova.md §4.7); the named fields are what they mean for
 * device events.
 */
export interface IommuEvent {
  readonly code: number;
  readonly name: string;
  readonly deviceId: number;
  readonly domainId: number;
  /** the 12-bit flag field (GN 0, NX 1, US 2, I 3, PR 4, RW 5, PE 6, RZ 7, TR 8) */
  readonly flags: number;
  readonly address: bigint;
  /** bits 59:0 */
  readonly operand1: bigint;
  /** bits 127:64 */
  readonly operand2: bigint;
}

export function decodeIommuEvent(low: bigint, high: bigint): IommuEvent {
  const code = Number(low >> 60n);
  return {
    code,
    name: EVENT_NAMES[code] ?? `EVENT_${code}`,
    deviceId: Number(low & 0xffffn),
    domainId: Number((low >> 32n) & 0xffffn),
    flags: Number((low >> 48n) & 0xfffn),
    address: high,
    operand1: low & 0x0fff_ffff_ffff_ffffn,
    operand2: high,
  };
}

const FLAG_ORDER: readonly (keyof typeof IoFaultFlag)[] = ["PR", "RW", "PE", "RZ", "US", "NX", "I", "GN", "TR"];

/** "PR|RW|PE": the set flags by name, "-" when none (Linux prints the raw field; names read better in a boot log). */
export function eventFlagNames(flags: number): string {
  const names = FLAG_ORDER.filter((name) => (flags & IoFaultFlag[name]) !== 0);
  return names.length > 0 ? names.join("|") : "-";
}

/** The events that name a device and a DMA access (§6.3 "DeviceID yes"). */
export function isDeviceEvent(event: IommuEvent): boolean {
  return event.code === 1 || event.code === 2 || event.code === 3 || event.code === 4 || event.code === 7 || event.code === 8 || event.code === 9 || event.code === 13 || event.code === 14;
}
