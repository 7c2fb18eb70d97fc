import { acpiIdText, uidText } from "./acpi-hid-text.js";
import type { DeviceEntry, Ivinfo, IvrsBlock, IvrsTable } from "./ivrs-types.js";

/** A value JSON.stringify renders faithfully (64-bit values are already "0x..." strings). */
export type IvrsJsonValue = string | number | boolean | null | readonly IvrsJsonValue[] | { readonly [key: string]: IvrsJsonValue };

export interface IvrsJson {
  readonly [key: string]: IvrsJsonValue;
  readonly revision: number;
  readonly ivinfo: { readonly [key: string]: IvrsJsonValue };
  readonly blocks: readonly { readonly [key: string]: IvrsJsonValue }[];
}

/**
 * The `firmware.ivrs` JSON shape: `revision`, `ivinfo`, `blocks[]` with IVHD blocks as
 * `{type, flags, length, deviceId, capabilityOffset, baseAddress, pciSegment, iommuInfo,
 * featureReporting, efr, efr2, entries[]}` and entries as `{type, deviceId, setting, ...}`.
 * 64-bit values are "0x..." strings (JSON numbers lose precision above 2^53), everything else a
 * number. efr/efr2 are null for type 10h, which has no EFR image (NOVA uses 0 there).
 * Undecodable parts keep `{type, unknown: true, offset}` so a reader sees where decoding stopped.
 */
export function ivrsToJson(ivrs: IvrsTable): IvrsJson {
  return { revision: ivrs.header.revision, ivinfo: ivinfoJson(ivrs.ivinfo), blocks: ivrs.blocks.map(blockJson) };
}

function ivinfoJson(ivinfo: Ivinfo): { readonly [key: string]: IvrsJsonValue } {
  return {
    value: ivinfo.raw,
    efrSupported: ivinfo.efrSupported,
    dmaRemapSupported: ivinfo.dmaRemapSupported,
    gvaSize: ivinfo.gvaSize,
    paSize: ivinfo.paSize,
    vaSize: ivinfo.vaSize,
    htAtsReserved: ivinfo.htAtsReserved,
  };
}

function hex64(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function blockJson(block: IvrsBlock): { readonly [key: string]: IvrsJsonValue } {
  switch (block.kind) {
    case "ivhd":
      return {
        type: block.type,
        flags: block.flags,
        length: block.length,
        deviceId: block.deviceId,
        capabilityOffset: block.capabilityOffset,
        baseAddress: hex64(block.baseAddress),
        pciSegment: block.pciSegment,
        iommuInfo: block.iommuInfo,
        featureReporting: block.featureReporting,
        efr: block.efr === undefined ? null : hex64(block.efr),
        efr2: block.efr2 === undefined ? null : hex64(block.efr2),
        entries: block.entries.map(entryJson),
      };
    case "ivmd":
      return {
        type: block.type,
        flags: block.flags,
        length: block.length,
        deviceId: block.deviceId,
        auxiliaryData: block.auxiliaryData,
        startAddress: hex64(block.startAddress),
        memoryLength: hex64(block.memoryLength),
      };
    case "unknown":
      return { type: block.type, flags: block.flags, length: block.length, deviceId: block.deviceId, unknown: true, offset: block.offset };
  }
}

function entryJson(entry: DeviceEntry): { readonly [key: string]: IvrsJsonValue } {
  if (entry.kind === "unknown") return { type: entry.type, unknown: true, offset: entry.offset };
  const common = { type: entry.type, deviceId: entry.deviceId, setting: entry.setting };
  switch (entry.kind) {
    case "alias-select":
    case "alias-range-start":
      return { ...common, sourceDeviceId: entry.sourceDeviceId };
    case "ext-select":
    case "ext-range-start":
      return { ...common, extendedSetting: entry.extendedSetting };
    case "special":
      return { ...common, handle: entry.handle, sourceDeviceId: entry.sourceDeviceId, variety: entry.variety };
    case "acpi-hid":
      return { ...common, hid: acpiIdText(entry.hid), cid: acpiIdText(entry.cid), uidFormat: entry.uidFormat, uidLength: entry.uid.length, uid: uidText(entry.uidFormat, entry.uid) };
    default:
      return common;
  }
}
