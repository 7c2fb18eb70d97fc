import { NovakitError } from "@novakit/kernel-core";
import {
  CW_ADDRESS_MASK,
  CW_FLUSH,
  CW_INTERRUPT,
  CW_STORE,
  INV_ADDRESS_MASK,
  INV_GUEST,
  INV_PDE,
  INV_SIZE,
  OPCODE_OF,
  OPCODE_SHIFT,
  PREFETCH_INVALIDATE,
} from "./command-layout.js";
import type {
  CommandWords,
  CompletePprRequestCommand,
  CompletionWaitCommand,
  InvalidateIommuPagesCommand,
  InvalidateIotlbPagesCommand,
  IommuCommand,
  PrefetchIommuPagesCommand,
} from "./command-types.js";

/**
 * Encoders of the 128-bit commands (reference/amd-iommu.md §5.3), for a driver that writes them
 * into the command ring in memory. Every field is range-checked: a value that does not fit its
 * bits is a driver bug, reported as NK-IOMMU-204 rather than silently truncated.
 */

function fieldError(kind: string, field: string, message: string): NovakitError {
  return new NovakitError("NK-IOMMU-204", `${kind}: ${message}`, { field });
}

function checkUnsigned(kind: string, field: string, value: number, bits: number): bigint {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw fieldError(kind, field, `${field} ${value} does not fit ${bits} bits`);
  return BigInt(value);
}

function checkPageAddress(kind: string, address: bigint): bigint {
  if (address < 0n || (address & ~INV_ADDRESS_MASK) !== 0n) {
    throw fieldError(kind, "address", `address 0x${address.toString(16)} is not a 4 KiB aligned 64-bit address`);
  }
  return address;
}

function withOpcode(kind: IommuCommand["kind"], operand1: bigint): bigint {
  return (BigInt(OPCODE_OF[kind]) << OPCODE_SHIFT) | operand1;
}

function flag(on: boolean, bit: bigint): bigint {
  return on ? bit : 0n;
}

export type CompletionWaitFields = Omit<CompletionWaitCommand, "kind" | "flush"> & { readonly flush?: boolean };

/** COMPLETION_WAIT (01h): S, I, F in bits 2:0, store address 51:3, data in 127:64. */
export function encodeCompletionWait(fields: CompletionWaitFields): CommandWords {
  const kind = "COMPLETION_WAIT";
  if (fields.storeAddress < 0n || (fields.storeAddress & ~CW_ADDRESS_MASK) !== 0n) {
    throw fieldError(kind, "storeAddress", `store address 0x${fields.storeAddress.toString(16)} is not an 8-byte aligned 52-bit physical address`);
  }
  if (fields.storeData < 0n || fields.storeData >= 1n << 64n) throw fieldError(kind, "storeData", "store data does not fit 64 bits");
  const operand1 = fields.storeAddress | flag(fields.store, CW_STORE) | flag(fields.interrupt, CW_INTERRUPT) | flag(fields.flush ?? false, CW_FLUSH);
  return [withOpcode(kind, operand1), fields.storeData];
}

/** INVALIDATE_DEVTAB_ENTRY (02h): DeviceID in bits 15:0. */
export function encodeInvalidateDevtabEntry(deviceId: number): CommandWords {
  return [withOpcode("INVALIDATE_DEVTAB_ENTRY", checkUnsigned("INVALIDATE_DEVTAB_ENTRY", "deviceId", deviceId, 16)), 0n];
}

export type InvalidateIommuPagesFields = Omit<InvalidateIommuPagesCommand, "kind" | "pasid" | "guest"> & {
  readonly pasid?: number;
  readonly guest?: boolean;
};

/** INVALIDATE_IOMMU_PAGES (03h): PASID 19:0, DomainID 47:32; S 64, PDE 65, GN 66, address 127:76. */
export function encodeInvalidateIommuPages(fields: InvalidateIommuPagesFields): CommandWords {
  const kind = "INVALIDATE_IOMMU_PAGES";
  const operand1 = (checkUnsigned(kind, "domainId", fields.domainId, 16) << 32n) | checkUnsigned(kind, "pasid", fields.pasid ?? 0, 20);
  const operand2 = checkPageAddress(kind, fields.address) | flag(fields.size, INV_SIZE) | flag(fields.pde, INV_PDE) | flag(fields.guest ?? false, INV_GUEST);
  return [withOpcode(kind, operand1), operand2];
}

/**
 * The invalidate-everything-in-the-domain form NOVA sends (nova.md §4.5): address bits 63:12 all
 * ones with S=1 and PDE=1 (operand 2 = 0xFFFF_FFFF_FFFF_F003).
 */
export function encodeInvalidateDomain(domainId: number): CommandWords {
  return encodeInvalidateIommuPages({ domainId, address: INV_ADDRESS_MASK, size: true, pde: true });
}

export type InvalidateIotlbPagesFields = Omit<InvalidateIotlbPagesCommand, "kind">;

/** INVALIDATE_IOTLB_PAGES (04h): the device's remote ATS cache (§5.3). */
export function encodeInvalidateIotlbPages(fields: InvalidateIotlbPagesFields): CommandWords {
  const kind = "INVALIDATE_IOTLB_PAGES";
  const pasid = checkUnsigned(kind, "pasid", fields.pasid, 16);
  const operand1 =
    checkUnsigned(kind, "deviceId", fields.deviceId, 16) |
    ((pasid >> 8n) << 16n) |
    (checkUnsigned(kind, "maxPending", fields.maxPending, 8) << 24n) |
    (checkUnsigned(kind, "queueId", fields.queueId, 16) << 32n) |
    ((pasid & 0xffn) << 48n);
  const operand2 =
    checkPageAddress(kind, fields.address) |
    flag(fields.size, INV_SIZE) |
    flag(fields.guest, INV_GUEST) |
    (checkUnsigned(kind, "invalidationType", fields.invalidationType, 2) << 4n);
  return [withOpcode(kind, operand1), operand2];
}

/** INVALIDATE_INTERRUPT_TABLE (05h): DeviceID in bits 15:0. */
export function encodeInvalidateInterruptTable(deviceId: number): CommandWords {
  return [withOpcode("INVALIDATE_INTERRUPT_TABLE", checkUnsigned("INVALIDATE_INTERRUPT_TABLE", "deviceId", deviceId, 16)), 0n];
}

export type PrefetchIommuPagesFields = Omit<PrefetchIommuPagesCommand, "kind">;

/** PREFETCH_IOMMU_PAGES (06h): DeviceID 15:0, PFCount 31:24, PASID 51:32; S 64, GN 66, Inval 68. */
export function encodePrefetchIommuPages(fields: PrefetchIommuPagesFields): CommandWords {
  const kind = "PREFETCH_IOMMU_PAGES";
  const operand1 =
    checkUnsigned(kind, "deviceId", fields.deviceId, 16) |
    (checkUnsigned(kind, "prefetchCount", fields.prefetchCount, 8) << 24n) |
    (checkUnsigned(kind, "pasid", fields.pasid, 20) << 32n);
  const operand2 = checkPageAddress(kind, fields.address) | flag(fields.size, INV_SIZE) | flag(fields.guest, INV_GUEST) | flag(fields.invalidate, PREFETCH_INVALIDATE);
  return [withOpcode(kind, operand1), operand2];
}

export type CompletePprRequestFields = Omit<CompletePprRequestCommand, "kind">;

/** COMPLETE_PPR_REQUEST (07h): DeviceID 15:0, PASID 51:32, GN 66, tag 104:96, response 111:108. */
export function encodeCompletePprRequest(fields: CompletePprRequestFields): CommandWords {
  const kind = "COMPLETE_PPR_REQUEST";
  const operand1 = checkUnsigned(kind, "deviceId", fields.deviceId, 16) | (checkUnsigned(kind, "pasid", fields.pasid, 20) << 32n);
  const operand2 = flag(fields.guest, INV_GUEST) | (checkUnsigned(kind, "tag", fields.tag, 9) << 32n) | (checkUnsigned(kind, "responseCode", fields.responseCode, 4) << 44n);
  return [withOpcode(kind, operand1), operand2];
}

/** INVALIDATE_IOMMU_ALL (08h): no operands. */
export function encodeInvalidateIommuAll(): CommandWords {
  return [withOpcode("INVALIDATE_IOMMU_ALL", 0n), 0n];
}

/** Encode any decoded command (the inverse of decodeCommand for legal commands). */
export function encodeCommand(command: IommuCommand): CommandWords {
  switch (command.kind) {
    case "COMPLETION_WAIT":
      return encodeCompletionWait(command);
    case "INVALIDATE_DEVTAB_ENTRY":
      return encodeInvalidateDevtabEntry(command.deviceId);
    case "INVALIDATE_IOMMU_PAGES":
      return encodeInvalidateIommuPages(command);
    case "INVALIDATE_IOTLB_PAGES":
      return encodeInvalidateIotlbPages(command);
    case "INVALIDATE_INTERRUPT_TABLE":
      return encodeInvalidateInterruptTable(command.deviceId);
    case "PREFETCH_IOMMU_PAGES":
      return encodePrefetchIommuPages(command);
    case "COMPLETE_PPR_REQUEST":
      return encodeCompletePprRequest(command);
    case "INVALIDATE_IOMMU_ALL":
      return encodeInvalidateIommuAll();
  }
}
