import { NovakitError } from "@novakit/kernel-core";
import { EfrBit } from "../mmio/efr-bits.js";
import {
  CW_ADDRESS_MASK,
  CW_FLUSH,
  CW_INTERRUPT,
  CW_STORE,
  INV_ADDRESS_MASK,
  INV_GUEST,
  INV_PDE,
  INV_SIZE,
  OPCODE_SHIFT,
  PREFETCH_INVALIDATE,
  RESERVED_BITS,
} from "./command-layout.js";
import { CommandOpcode, type CommandWords, type IommuCommand } from "./command-types.js";

/** What the command processor needs to know about the unit to judge a command (§5.2). */
export interface CommandSupport {
  /** the unit's EFR: PreFSup, PPRSup and IASup gate opcodes 06h, 07h and 08h */
  readonly efr: bigint;
  /** PCI capability IotlbSup: gates opcode 04h */
  readonly iotlbSupported: boolean;
}

export type IllegalCommandReason =
  /** opcode 00h or 0Bh-0Fh */
  | "RESERVED_OPCODE"
  /** a bit that §5.3 calls reserved is set */
  | "RESERVED_BITS"
  /** the unit does not support the command's feature (VirtualBox treats it as illegal, §5.2) */
  | "UNSUPPORTED_FEATURE";

export type CommandDecodeResult =
  | { readonly legal: true; readonly command: IommuCommand }
  | { readonly legal: false; readonly opcode: number; readonly reason: IllegalCommandReason };

function illegal(opcode: number, reason: IllegalCommandReason): CommandDecodeResult {
  return { legal: false, opcode, reason };
}

function bits(value: bigint, shift: bigint, mask: bigint): number {
  return Number((value >> shift) & mask);
}

/**
 * Decode one command as the IOMMU does when it fetches it from the ring (reference/amd-iommu.md
 * §5.2, §5.3, §10.12): an unknown opcode, a reserved bit set or a command for an unsupported
 * feature is illegal (the caller halts the ring and logs ILLEGAL_COMMAND_ERROR). INSERT_GUEST_EVENT
 * and RESET_VMMIO are illegal here whatever EFR says: the model implements no vIOMMU.
 */
export function decodeCommand(words: CommandWords, support: CommandSupport): CommandDecodeResult {
  const [low, high] = words;
  if (low < 0n || low >= 1n << 64n || high < 0n || high >= 1n << 64n) {
    throw new NovakitError("NK-IOMMU-205", "a command is two unsigned 64-bit quadwords", { field: "words" });
  }
  const opcode = Number(low >> OPCODE_SHIFT);
  if (opcode === CommandOpcode.INSERT_GUEST_EVENT || opcode === CommandOpcode.RESET_VMMIO) return illegal(opcode, "UNSUPPORTED_FEATURE");
  const kind = kindOf(opcode);
  if (kind === undefined) return illegal(opcode, "RESERVED_OPCODE");
  const reserved = RESERVED_BITS[kind];
  if ((low & reserved.low) !== 0n || (high & reserved.high) !== 0n) return illegal(opcode, "RESERVED_BITS");
  if (!supported(kind, support)) return illegal(opcode, "UNSUPPORTED_FEATURE");
  return { legal: true, command: fields(kind, low, high) };
}

function kindOf(opcode: number): IommuCommand["kind"] | undefined {
  switch (opcode) {
    case CommandOpcode.COMPLETION_WAIT:
      return "COMPLETION_WAIT";
    case CommandOpcode.INVALIDATE_DEVTAB_ENTRY:
      return "INVALIDATE_DEVTAB_ENTRY";
    case CommandOpcode.INVALIDATE_IOMMU_PAGES:
      return "INVALIDATE_IOMMU_PAGES";
    case CommandOpcode.INVALIDATE_IOTLB_PAGES:
      return "INVALIDATE_IOTLB_PAGES";
    case CommandOpcode.INVALIDATE_INTERRUPT_TABLE:
      return "INVALIDATE_INTERRUPT_TABLE";
    case CommandOpcode.PREFETCH_IOMMU_PAGES:
      return "PREFETCH_IOMMU_PAGES";
    case CommandOpcode.COMPLETE_PPR_REQUEST:
      return "COMPLETE_PPR_REQUEST";
    case CommandOpcode.INVALIDATE_IOMMU_ALL:
      return "INVALIDATE_IOMMU_ALL";
    default:
      return undefined;
  }
}

function supported(kind: IommuCommand["kind"], support: CommandSupport): boolean {
  switch (kind) {
    case "INVALIDATE_IOTLB_PAGES":
      return support.iotlbSupported;
    case "PREFETCH_IOMMU_PAGES":
      return (support.efr & EfrBit.PREF_SUP) !== 0n;
    case "COMPLETE_PPR_REQUEST":
      return (support.efr & EfrBit.PPR_SUP) !== 0n;
    case "INVALIDATE_IOMMU_ALL":
      return (support.efr & EfrBit.IA_SUP) !== 0n;
    default:
      return true;
  }
}

function fields(kind: IommuCommand["kind"], low: bigint, high: bigint): IommuCommand {
  switch (kind) {
    case "COMPLETION_WAIT":
      return {
        kind,
        store: (low & CW_STORE) !== 0n,
        interrupt: (low & CW_INTERRUPT) !== 0n,
        flush: (low & CW_FLUSH) !== 0n,
        storeAddress: low & CW_ADDRESS_MASK,
        storeData: high,
      };
    case "INVALIDATE_DEVTAB_ENTRY":
    case "INVALIDATE_INTERRUPT_TABLE":
      return { kind, deviceId: bits(low, 0n, 0xffffn) };
    case "INVALIDATE_IOMMU_PAGES":
      return {
        kind,
        domainId: bits(low, 32n, 0xffffn),
        pasid: bits(low, 0n, 0xfffffn),
        address: high & INV_ADDRESS_MASK,
        size: (high & INV_SIZE) !== 0n,
        pde: (high & INV_PDE) !== 0n,
        guest: (high & INV_GUEST) !== 0n,
      };
    case "INVALIDATE_IOTLB_PAGES":
      return {
        kind,
        deviceId: bits(low, 0n, 0xffffn),
        pasid: (bits(low, 16n, 0xffn) << 8) | bits(low, 48n, 0xffn),
        maxPending: bits(low, 24n, 0xffn),
        queueId: bits(low, 32n, 0xffffn),
        address: high & INV_ADDRESS_MASK,
        size: (high & INV_SIZE) !== 0n,
        guest: (high & INV_GUEST) !== 0n,
        invalidationType: bits(high, 4n, 3n),
      };
    case "PREFETCH_IOMMU_PAGES":
      return {
        kind,
        deviceId: bits(low, 0n, 0xffffn),
        prefetchCount: bits(low, 24n, 0xffn),
        pasid: bits(low, 32n, 0xfffffn),
        address: high & INV_ADDRESS_MASK,
        size: (high & INV_SIZE) !== 0n,
        guest: (high & INV_GUEST) !== 0n,
        invalidate: (high & PREFETCH_INVALIDATE) !== 0n,
      };
    case "COMPLETE_PPR_REQUEST":
      return {
        kind,
        deviceId: bits(low, 0n, 0xffffn),
        pasid: bits(low, 32n, 0xfffffn),
        guest: (high & INV_GUEST) !== 0n,
        tag: bits(high, 32n, 0x1ffn),
        responseCode: bits(high, 44n, 0xfn),
      };
    case "INVALIDATE_IOMMU_ALL":
      return { kind };
  }
}
