import type { PciFunction } from "../../platform/platform.js";
import type { DeviceKind } from "./device-api.js";

/**
 * PCI class codes (PCI Code and Assignment Specification r1.11 §1): base class << 16 |
 * subclass << 8 | programming interface, as PciFunction.classCode holds them.
 */
export const PciClass = {
  /** 01h 08h 02h: mass storage, non-volatile memory controller, NVM Express (I/O controller) */
  NVME: 0x010802,
  /** base class 02h: network controller (any subclass) */
  NETWORK_BASE: 0x02,
  /** base class 12h: processing accelerator */
  ACCELERATOR_BASE: 0x12,
} as const;

/** The device model a function gets: by class code; any other bus master is a generic engine. */
export function deviceKindOf(fn: Pick<PciFunction, "classCode">): DeviceKind {
  const classCode = fn.classCode;
  if (classCode === undefined) return "generic";
  if (classCode === PciClass.NVME) return "nvme";
  const base = (classCode >>> 16) & 0xff;
  if (base === PciClass.ACCELERATOR_BASE) return "accelerator";
  if (base === PciClass.NETWORK_BASE) return "nic";
  return "generic";
}

/** segment << 16 | bus << 8 | device << 3 | function: the `dma` hook's SBDF. */
export function sbdfOf(fn: Pick<PciFunction, "segment" | "bus" | "device" | "function">): number {
  return ((fn.segment & 0xffff) << 16) | ((fn.bus & 0xff) << 8) | ((fn.device & 0x1f) << 3) | (fn.function & 0x7);
}

/** "SSSS:BB:DD.F", lower-case hex, as lspci -D prints it. */
export function formatPciAddress(fn: Pick<PciFunction, "segment" | "bus" | "device" | "function">): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");
  return `${hex(fn.segment, 4)}:${hex(fn.bus, 2)}:${hex(fn.device, 2)}.${fn.function}`;
}
