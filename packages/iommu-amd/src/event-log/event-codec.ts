import { NovakitError } from "@novakit/kernel-core";
import { EventCode, type EventKind, type EventWords, type IommuEvent } from "./event-types.js";

/**
 * Encode and decode of the 128-bit event entries (reference/amd-iommu.md §6.2, §6.3). Every event
 * is the generic layout: DeviceID 15:0, a 20-bit DomainID/PASID/tag split over 47:32 (low 16) and
 * 19:16 (high 4), flags 59:48, code 63:60, operand 127:64. What differs per code is which of these
 * the event uses, which flag bits exist and which address bits are reserved.
 */
interface EventLayout {
  readonly deviceId: boolean;
  /** the 20-bit DomainID/PASID/tag field is used */
  readonly tag: boolean;
  /** flag-field bits the event defines */
  readonly flags: number;
  /** low address bits that are reserved (must be zero) */
  readonly addressReservedLow: bigint;
}

const LAYOUT: Readonly<Record<EventKind, EventLayout>> = Object.freeze({
  // GN, I, RW, RZ, TR; address bits 1:0 reserved
  ILLEGAL_DEV_TABLE_ENTRY: { deviceId: true, tag: true, flags: 0x1a9, addressReservedLow: 3n },
  // GN, NX, US, I, PR, RW, PE, RZ, TR
  IO_PAGE_FAULT: { deviceId: true, tag: true, flags: 0x1ff, addressReservedLow: 0n },
  // I, RW, TR, Type 58:57
  DEV_TAB_HARDWARE_ERROR: { deviceId: true, tag: false, flags: 0x728, addressReservedLow: 0n },
  // GN, I, RW, TR, Type 58:57
  PAGE_TAB_HARDWARE_ERROR: { deviceId: true, tag: true, flags: 0x729, addressReservedLow: 0n },
  ILLEGAL_COMMAND_ERROR: { deviceId: false, tag: false, flags: 0, addressReservedLow: 0n },
  COMMAND_HARDWARE_ERROR: { deviceId: false, tag: false, flags: 0x600, addressReservedLow: 0n },
  // event bits 127:68 = address 63:4
  IOTLB_INV_TIMEOUT: { deviceId: true, tag: false, flags: 0, addressReservedLow: 0xfn },
  // GN 48, US 49, TR 56, Type 59:57
  INVALID_DEVICE_REQUEST: { deviceId: true, tag: true, flags: 0xf03, addressReservedLow: 0n },
  INVALID_PPR_REQUEST: { deviceId: true, tag: true, flags: 0xfff, addressReservedLow: 0n },
  EVENT_COUNTER_ZERO: { deviceId: false, tag: false, flags: 0, addressReservedLow: 0n },
  GUEST_EVENT_FAULT: { deviceId: true, tag: true, flags: 0xfff, addressReservedLow: 0n },
  VIOMMU_HARDWARE_ERROR: { deviceId: true, tag: true, flags: 0xfff, addressReservedLow: 0n },
  RMP_PAGE_FAULT: { deviceId: true, tag: true, flags: 0xfff, addressReservedLow: 0n },
  RMP_HARDWARE_ERROR: { deviceId: true, tag: true, flags: 0xfff, addressReservedLow: 0n },
});

const KIND_OF_CODE: ReadonlyMap<number, EventKind> = new Map(Object.entries(EventCode).map(([kind, code]) => [code, kind as EventKind]));

/** EVENT_COUNTER_ZERO: counter bits 51:32 at event 83:64, bits 31:0 at event 127:96 */
const COUNTER_HIGH_MASK = 0xf_ffffn;

interface GenericFields {
  readonly deviceId: number;
  readonly tag: number;
  readonly flags: number;
  readonly address: bigint;
}

function eventError(kind: string, field: string, message: string): NovakitError {
  return new NovakitError("NK-IOMMU-206", `${kind} event: ${message}`, { field });
}

function genericFields(event: IommuEvent): GenericFields {
  switch (event.kind) {
    case "ILLEGAL_DEV_TABLE_ENTRY":
    case "INVALID_DEVICE_REQUEST":
    case "INVALID_PPR_REQUEST":
      return { deviceId: event.deviceId, tag: event.pasid, flags: event.flags, address: event.address };
    case "IO_PAGE_FAULT":
    case "PAGE_TAB_HARDWARE_ERROR":
      return { deviceId: event.deviceId, tag: event.domainId, flags: event.flags, address: event.address };
    case "DEV_TAB_HARDWARE_ERROR":
      return { deviceId: event.deviceId, tag: 0, flags: event.flags, address: event.address };
    case "ILLEGAL_COMMAND_ERROR":
      return { deviceId: 0, tag: 0, flags: 0, address: event.address };
    case "COMMAND_HARDWARE_ERROR":
      return { deviceId: 0, tag: 0, flags: event.flags, address: event.address };
    case "IOTLB_INV_TIMEOUT":
      return { deviceId: event.deviceId, tag: 0, flags: 0, address: event.address };
    case "EVENT_COUNTER_ZERO": {
      if (event.counter < 0n || event.counter >= 1n << 52n) throw eventError(event.kind, "counter", "counter does not fit 52 bits");
      return { deviceId: 0, tag: 0, flags: 0, address: ((event.counter & 0xffff_ffffn) << 32n) | (event.counter >> 32n) };
    }
    case "GUEST_EVENT_FAULT":
    case "VIOMMU_HARDWARE_ERROR":
    case "RMP_PAGE_FAULT":
    case "RMP_HARDWARE_ERROR":
      return { deviceId: event.deviceId, tag: event.tag, flags: event.flags, address: event.address };
  }
}

/** Encode an event bit-exactly (§6.2, §6.3); a field that does not fit its bits is NK-IOMMU-206. */
export function encodeEvent(event: IommuEvent): EventWords {
  const layout = LAYOUT[event.kind];
  const fields = genericFields(event);
  const { deviceId, tag, flags, address } = fields;
  if (!Number.isInteger(deviceId) || deviceId < 0 || deviceId > 0xffff) throw eventError(event.kind, "deviceId", `DeviceID ${deviceId} is not 16 bits`);
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xf_ffff) throw eventError(event.kind, "tag", `DomainID/PASID ${tag} does not fit 20 bits`);
  if (!Number.isInteger(flags) || flags < 0 || (flags & ~layout.flags) !== 0) {
    throw eventError(event.kind, "flags", `flags 0x${flags.toString(16)} use bits outside 0x${layout.flags.toString(16)}`);
  }
  if (address < 0n || address >= 1n << 64n || (address & layout.addressReservedLow) !== 0n) {
    throw eventError(event.kind, "address", `address 0x${address.toString(16)} is not 64 bits or has reserved low bits set`);
  }
  const tagBig = BigInt(tag);
  const low =
    (BigInt(EventCode[event.kind]) << 60n) | (BigInt(flags) << 48n) | ((tagBig & 0xffffn) << 32n) | ((tagBig >> 16n) << 16n) | BigInt(deviceId);
  return [low, address];
}

/** Decode an entry read from the event log. Reserved bits are ignored, as a driver does. */
export function decodeEvent(words: EventWords): IommuEvent {
  const [low, high] = words;
  if (low < 0n || low >= 1n << 64n || high < 0n || high >= 1n << 64n) {
    throw new NovakitError("NK-IOMMU-207", "an event is two unsigned 64-bit quadwords", { field: "words" });
  }
  const code = Number(low >> 60n);
  const kind = KIND_OF_CODE.get(code);
  if (kind === undefined) {
    throw new NovakitError(
      "NK-IOMMU-207",
      `event code ${code} is not an event (codes 1..0Eh)`,
      { field: "code" },
      "code 0 is an entry the IOMMU has not written (Linux spins on it, §6.1)",
    );
  }
  const layout = LAYOUT[kind];
  const deviceId = Number(low & 0xffffn);
  const tag = Number(((low >> 32n) & 0xffffn) | (((low >> 16n) & 0xfn) << 16n));
  const flags = Number((low >> 48n) & 0xfffn) & layout.flags;
  const address = high & ~layout.addressReservedLow;
  switch (kind) {
    case "ILLEGAL_DEV_TABLE_ENTRY":
    case "INVALID_DEVICE_REQUEST":
    case "INVALID_PPR_REQUEST":
      return { kind, deviceId, pasid: tag, flags, address };
    case "IO_PAGE_FAULT":
    case "PAGE_TAB_HARDWARE_ERROR":
      return { kind, deviceId, domainId: tag, flags, address };
    case "DEV_TAB_HARDWARE_ERROR":
      return { kind, deviceId, flags, address };
    case "ILLEGAL_COMMAND_ERROR":
      return { kind, address };
    case "COMMAND_HARDWARE_ERROR":
      return { kind, flags, address };
    case "IOTLB_INV_TIMEOUT":
      return { kind, deviceId, address };
    case "EVENT_COUNTER_ZERO":
      return { kind, counter: ((high >> 32n) & 0xffff_ffffn) | ((high & COUNTER_HIGH_MASK) << 32n) };
    case "GUEST_EVENT_FAULT":
    case "VIOMMU_HARDWARE_ERROR":
    case "RMP_PAGE_FAULT":
    case "RMP_HARDWARE_ERROR":
      return { kind, deviceId, tag, flags, address };
  }
}
