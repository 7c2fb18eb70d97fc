/**
 * The 128-bit event log entries (reference/amd-iommu.md §6.2, §6.3) in decoded form. An event is
 * two little-endian quadwords: words[0] = bits 63:0 (DeviceID 15:0, PASID 19:16, DomainID/PASID
 * 47:32, flags 59:48, code 63:60), words[1] = bits 127:64 (the address or the event's operand).
 */
export type EventWords = readonly [bigint, bigint];

/** Event codes, bits 63:60 (§6.3; nova.md §4.7). 0 and 0Fh are not events. */
export const EventCode = {
  ILLEGAL_DEV_TABLE_ENTRY: 0x1,
  IO_PAGE_FAULT: 0x2,
  DEV_TAB_HARDWARE_ERROR: 0x3,
  PAGE_TAB_HARDWARE_ERROR: 0x4,
  ILLEGAL_COMMAND_ERROR: 0x5,
  COMMAND_HARDWARE_ERROR: 0x6,
  IOTLB_INV_TIMEOUT: 0x7,
  INVALID_DEVICE_REQUEST: 0x8,
  INVALID_PPR_REQUEST: 0x9,
  EVENT_COUNTER_ZERO: 0xa,
  GUEST_EVENT_FAULT: 0xb,
  VIOMMU_HARDWARE_ERROR: 0xc,
  RMP_PAGE_FAULT: 0xd,
  RMP_HARDWARE_ERROR: 0xe,
} as const;

export type EventKind = keyof typeof EventCode;

/**
 * `flags` everywhere is the 12-bit field at event bits 59:48 (bit n of the field = event bit 48+n):
 * for page faults GN 0, NX 1, US 2, I 3, PR 4, RW 5, PE 6, RZ 7, TR 8 (translation/io-fault.ts
 * IoFaultFlag); hardware-error Type 58:57 = field bits 10:9; INVALID_DEVICE_REQUEST puts US at
 * field bit 1 and its Type 59:57 at field bits 11:9.
 */
export interface IllegalDevTableEntryEvent {
  readonly kind: "ILLEGAL_DEV_TABLE_ENTRY";
  readonly deviceId: number;
  /** 20 bits: 15:0 at event 47:32, 19:16 at event 19:16 */
  readonly pasid: number;
  /** GN, I, RW, RZ, TR */
  readonly flags: number;
  /** DMA address of the request; bits 1:0 reserved (zero) */
  readonly address: bigint;
}

export interface IoPageFaultEvent {
  readonly kind: "IO_PAGE_FAULT";
  readonly deviceId: number;
  /** DomainID (event 47:32), or with GN=1 the 20-bit PASID (15:0 at 47:32, 19:16 at 19:16) */
  readonly domainId: number;
  /** GN, NX, US, I, PR, RW, PE, RZ, TR */
  readonly flags: number;
  /** the DMA address (for interrupts the MSI address) */
  readonly address: bigint;
}

export interface DevTabHardwareErrorEvent {
  readonly kind: "DEV_TAB_HARDWARE_ERROR";
  readonly deviceId: number;
  /** I, RW, TR, Type (field bits 10:9) */
  readonly flags: number;
  /** physical address of the DTE read */
  readonly address: bigint;
}

export interface PageTabHardwareErrorEvent {
  readonly kind: "PAGE_TAB_HARDWARE_ERROR";
  readonly deviceId: number;
  /** DomainID, or PASID with GN=1 */
  readonly domainId: number;
  /** GN, I, RW, TR, Type (field bits 10:9) */
  readonly flags: number;
  /** physical address of the table entry */
  readonly address: bigint;
}

export interface IllegalCommandErrorEvent {
  readonly kind: "ILLEGAL_COMMAND_ERROR";
  /** physical address of the bad command */
  readonly address: bigint;
}

export interface CommandHardwareErrorEvent {
  readonly kind: "COMMAND_HARDWARE_ERROR";
  /** Type (field bits 10:9) */
  readonly flags: number;
  /** physical address the IOMMU tried to access */
  readonly address: bigint;
}

export interface IotlbInvTimeoutEvent {
  readonly kind: "IOTLB_INV_TIMEOUT";
  readonly deviceId: number;
  /** physical address of the timed-out INVALIDATE_IOTLB_PAGES (bits 3:0 zero: event 127:68 = 63:4) */
  readonly address: bigint;
}

export interface InvalidDeviceRequestEvent {
  readonly kind: "INVALID_DEVICE_REQUEST";
  readonly deviceId: number;
  readonly pasid: number;
  /** GN (0), US (1), TR (8), Type (11:9) */
  readonly flags: number;
  readonly address: bigint;
}

export interface InvalidPprRequestEvent {
  readonly kind: "INVALID_PPR_REQUEST";
  readonly deviceId: number;
  readonly pasid: number;
  readonly flags: number;
  /** address; Linux reads the PRI tag from its bits 9:0 */
  readonly address: bigint;
}

export interface EventCounterZeroEvent {
  readonly kind: "EVENT_COUNTER_ZERO";
  /** 52-bit counter value: bits 51:32 at event 83:64, bits 31:0 at event 127:96 */
  readonly counter: bigint;
}

/** vIOMMU and SEV-SNP events (0Bh-0Eh): the generic layout of §6.2 (tag = VMG tag for RMP events). */
export interface GenericDeviceEvent {
  readonly kind: "GUEST_EVENT_FAULT" | "VIOMMU_HARDWARE_ERROR" | "RMP_PAGE_FAULT" | "RMP_HARDWARE_ERROR";
  readonly deviceId: number;
  /** 20 bits at event 47:32 and 19:16 */
  readonly tag: number;
  readonly flags: number;
  readonly address: bigint;
}

export type IommuEvent =
  | IllegalDevTableEntryEvent
  | IoPageFaultEvent
  | DevTabHardwareErrorEvent
  | PageTabHardwareErrorEvent
  | IllegalCommandErrorEvent
  | CommandHardwareErrorEvent
  | IotlbInvTimeoutEvent
  | InvalidDeviceRequestEvent
  | InvalidPprRequestEvent
  | EventCounterZeroEvent
  | GenericDeviceEvent;
