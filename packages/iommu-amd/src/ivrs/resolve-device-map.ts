import type { IvhdBlock, IvrsTable } from "./ivrs-types.js";
import { selectIvhdBlocks } from "./select-ivhd-blocks.js";

/** How a device got its setting, i.e. which kind of entry named it last. */
export type DeviceSettingSource = "all" | "select" | "range" | "alias-select" | "alias-range" | "alias-source" | "ext-select" | "ext-range";

/** What the IVRS says about one DeviceID of a segment (amd-iommu.md §1.4 "DTE setting byte"). */
export interface DeviceSetting {
  readonly deviceId: number;
  /** the DTE setting byte (INITPass, EIntPass, NMIPass, SysMgt, Lint0Pass, Lint1Pass) */
  readonly setting: number;
  /** 42h/43h: the requester ID this device's transactions carry (the alias target) */
  readonly aliasTo?: number;
  /** 46h/47h: the 32-bit extended setting */
  readonly extendedSetting?: number;
  readonly source: DeviceSettingSource;
  /** MMIO base of the IOMMU whose IVHD named the device */
  readonly iommuBase: bigint;
}

/** A 48h SPECIAL entry: an IOAPIC or HPET and the requester ID it uses. */
export interface SpecialDevice {
  readonly kind: "ioapic" | "hpet" | "reserved";
  /** byte 7 as written (1 IOAPIC, 2 HPET) */
  readonly variety: number;
  /** IOAPIC id as in the MADT, or HPET number */
  readonly handle: number;
  readonly sourceDeviceId: number;
  readonly setting: number;
  readonly iommuBase: bigint;
}

/** An F0h ACPI HID entry of a 40h IVHD. */
export interface AcpiHidDevice {
  readonly deviceId: number;
  readonly setting: number;
  readonly hid: Uint8Array;
  readonly cid: Uint8Array;
  readonly uidFormat: number;
  readonly uid: Uint8Array;
  readonly iommuBase: bigint;
}

export interface SegmentDeviceMap {
  readonly segment: number;
  /** the selected IVHD blocks of this segment */
  readonly iommus: readonly IvhdBlock[];
  /** DeviceID -> setting, every DeviceID named by an ALL, SELECT, range, alias or extended entry */
  readonly devices: ReadonlyMap<number, DeviceSetting>;
  readonly specials: readonly SpecialDevice[];
  readonly acpiDevices: readonly AcpiHidDevice[];
}

export interface IvrsDeviceMap {
  /** PCI segment -> its devices */
  readonly segments: ReadonlyMap<number, SegmentDeviceMap>;
  /** devices over all segments */
  readonly size: number;
}

interface MutableSegment {
  readonly segment: number;
  readonly iommus: IvhdBlock[];
  readonly devices: Map<number, DeviceSetting>;
  readonly specials: SpecialDevice[];
  readonly acpiDevices: AcpiHidDevice[];
}

/** An open 03h/43h/47h range, waiting for its 04h. */
interface RangeOpener {
  readonly deviceId: number;
  readonly setting: number;
  readonly aliasTo?: number;
  readonly extendedSetting?: number;
}

const ALL_DEVICE_IDS = 0x10000;

/**
 * Resolves the selected IVHD blocks (selectIvhdBlocks, NOVA's rule) into per-segment device
 * maps, following the processing rules of amd-iommu.md §1.4:
 * - entries apply in order; a later entry overwrites an earlier one (real tables overlap);
 * - 03h/43h/47h open a range that the next 04h closes with the *start* entry's setting (and its
 *   alias target or extended setting); a start without an end, or an end without a start, names
 *   nothing (§10 item 14);
 * - 42h/43h also give the alias target the same setting (what Linux writes to both);
 * - 48h entries become IOAPIC/HPET bindings; F0h entries count only inside a 40h IVHD (Linux
 *   ignores them elsewhere as a firmware bug).
 */
export function resolveDeviceMap(ivrs: IvrsTable): IvrsDeviceMap {
  const segments = new Map<number, MutableSegment>();
  for (const block of selectIvhdBlocks(ivrs)) {
    let segment = segments.get(block.pciSegment);
    if (segment === undefined) {
      segment = { segment: block.pciSegment, iommus: [], devices: new Map(), specials: [], acpiDevices: [] };
      segments.set(block.pciSegment, segment);
    }
    segment.iommus.push(block);
    applyEntries(segment, block);
  }
  let size = 0;
  for (const segment of segments.values()) size += segment.devices.size;
  return { segments, size };
}

function applyEntries(segment: MutableSegment, block: IvhdBlock): void {
  const iommuBase = block.baseAddress;
  const set = (deviceId: number, setting: number, source: DeviceSettingSource, extra: { aliasTo?: number; extendedSetting?: number } = {}): void => {
    segment.devices.set(deviceId, { deviceId, setting, source, iommuBase, ...extra });
  };
  let open: RangeOpener | undefined;
  for (const entry of block.entries) {
    switch (entry.kind) {
      case "all":
        for (let id = 0; id < ALL_DEVICE_IDS; id++) set(id, entry.setting, "all");
        break;
      case "select":
        set(entry.deviceId, entry.setting, "select");
        break;
      case "alias-select":
        set(entry.deviceId, entry.setting, "alias-select", { aliasTo: entry.sourceDeviceId });
        set(entry.sourceDeviceId, entry.setting, "alias-source");
        break;
      case "ext-select":
        set(entry.deviceId, entry.setting, "ext-select", { extendedSetting: entry.extendedSetting });
        break;
      case "range-start":
        open = { deviceId: entry.deviceId, setting: entry.setting };
        break;
      case "alias-range-start":
        open = { deviceId: entry.deviceId, setting: entry.setting, aliasTo: entry.sourceDeviceId };
        break;
      case "ext-range-start":
        open = { deviceId: entry.deviceId, setting: entry.setting, extendedSetting: entry.extendedSetting };
        break;
      case "range-end":
        if (open !== undefined) applyRange(open, entry.deviceId, set);
        open = undefined;
        break;
      case "special":
        segment.specials.push({
          kind: entry.variety === 1 ? "ioapic" : entry.variety === 2 ? "hpet" : "reserved",
          variety: entry.variety,
          handle: entry.handle,
          sourceDeviceId: entry.sourceDeviceId,
          setting: entry.setting,
          iommuBase,
        });
        break;
      case "acpi-hid":
        if (block.type === 0x40) {
          segment.acpiDevices.push({ deviceId: entry.deviceId, setting: entry.setting, hid: entry.hid, cid: entry.cid, uidFormat: entry.uidFormat, uid: entry.uid, iommuBase });
        }
        break;
      case "padding":
      case "reserved":
      case "unknown":
        break;
    }
  }
}

function applyRange(
  start: RangeOpener,
  last: number,
  set: (deviceId: number, setting: number, source: DeviceSettingSource, extra?: { aliasTo?: number; extendedSetting?: number }) => void,
): void {
  if (last < start.deviceId) return;
  const { aliasTo, extendedSetting } = start;
  if (aliasTo !== undefined) {
    for (let id = start.deviceId; id <= last; id++) set(id, start.setting, "alias-range", { aliasTo });
    set(aliasTo, start.setting, "alias-source");
    return;
  }
  if (extendedSetting !== undefined) {
    for (let id = start.deviceId; id <= last; id++) set(id, start.setting, "ext-range", { extendedSetting });
    return;
  }
  for (let id = start.deviceId; id <= last; id++) set(id, start.setting, "range");
}
