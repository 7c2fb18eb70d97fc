import { EntryKind, MemoryPermission, type DecodedEntry, type MemoryAttributes, type PageTableFormat } from "@novakit/kernel-core";
import { cacheOfStage2MemAttr, stage2MemAttrOf } from "./memory-attributes.js";
import { checkArmAttributes } from "./stage1-el2-format.js";
import { VmsaDescriptorCodec } from "./vmsa-descriptor.js";
import { stage2Geometry } from "./vmsa-geometry.js";

// Stage-2 block/page descriptor bits (reference/paging.md §3.5; NOVA Npt, nova.md §3.2)
const MEM_ATTR_SHIFT = 2n;
/** S2AP[0]: read allowed */
const S2AP_READ = 1n << 6n;
/** S2AP[1]: write allowed */
const S2AP_WRITE = 1n << 7n;
const SH_INNER = 3n << 8n;
const AF = 1n << 10n;
/** XN[1:0] in bits 54:53 (FEAT_XNX encoding) */
const XN_SHIFT = 53n;
/** NOVA's K: bit 55 marks kernel memory */
const SOFTWARE_KERNEL = 1n << 55n;

/** paging.md §3.5 XN[1:0] (FEAT_XNX): 00 EL1+EL0, 01 EL0 only, 10 none, 11 EL1 only. */
export const Stage2Execute = { ALL: 0b00, EL0_ONLY: 0b01, NONE: 0b10, EL1_ONLY: 0b11 } as const;

export interface Stage2Options {
  /** IPA bits: 40 for NOVA's Npt (start level 1, two concatenated tables), 32..48, 52 with LPA2 */
  readonly ipaBits: number;
  /** physical address bits (PARange) */
  readonly outputBits: number;
  readonly lpa2: boolean;
}

function xnOf(permissions: number): number {
  const { XU, XS } = MemoryPermission;
  const user = (permissions & XU) !== 0;
  const kernel = (permissions & XS) !== 0;
  if (user && kernel) return Stage2Execute.ALL;
  if (user) return Stage2Execute.EL0_ONLY;
  if (kernel) return Stage2Execute.EL1_ONLY;
  return Stage2Execute.NONE;
}

function permissionsOfXn(xn: number): number {
  const { XU, XS } = MemoryPermission;
  switch (xn) {
    case Stage2Execute.ALL:
      return XU | XS;
    case Stage2Execute.EL0_ONLY:
      return XU;
    case Stage2Execute.EL1_ONLY:
      return XS;
    default:
      return 0;
  }
}

/**
 * VMSAv8-64 stage-2 tables (VTTBR_EL2), 4 KiB granule, bit-exact (paging.md §3.5, §3.6
 * concatenation): leaves carry MemAttr[3:0] (no MAIR indirection), S2AP (bit 6 read, bit 7
 * write), SH inner (OA[51:50] with LPA2), AF, XN[1:0] with the FEAT_XNX two-bit encoding and
 * NOVA's kernel marker in bit 55. A guest stage has no EL0/EL1 access split and no ASIDs: the
 * user and global attributes are not stored (they decode as user = true, global = false).
 * Table descriptors carry no attributes (paging.md §3.3).
 */
export function createStage2Format(options: Stage2Options): PageTableFormat {
  const geometry = stage2Geometry(options.ipaBits, options.outputBits, options.lpa2);
  const name = `aarch64-s2-${geometry.inputBits}bit${geometry.lpa2 ? "-lpa2" : ""}`;
  const codec = new VmsaDescriptorCodec(geometry, name);
  const { R, W, XU, XS } = MemoryPermission;

  const entryKind = (entry: bigint, level: number): EntryKind => codec.kindOf(entry, level);
  const entryAddress = (entry: bigint, level: number): bigint => {
    const kind = codec.kindOf(entry, level);
    return codec.addressOf(entry, kind === EntryKind.LEAF ? BigInt(12 + 9 * level) : 12n);
  };

  return Object.freeze({
    name,
    levels: geometry.levels,
    inputBits: geometry.inputBits,
    outputBits: geometry.outputBits,
    maxLeafLevel: geometry.maxLeafLevel,
    rootEntries: geometry.rootEntries,
    linearLeafAddress: !geometry.lpa2,
    encodeTable(address: bigint, level: number): bigint {
      codec.checkTableLevel(level);
      codec.checkEncodableAddress(address, 0);
      return codec.placeAddress(address) | 3n;
    },
    encodeLeaf(address: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint {
      codec.checkLeafLevel(level);
      codec.checkEncodableAddress(address, level);
      if ((permissions & (R | W | XU | XS)) === 0) return 0n;
      checkArmAttributes(attributes, name);
      let entry = codec.placeAddress(address) | codec.leafType(level) | AF;
      entry |= BigInt(stage2MemAttrOf(attributes.cache)) << MEM_ATTR_SHIFT;
      if (codec.shareabilityInDescriptor) entry |= SH_INNER;
      if ((permissions & R) !== 0) entry |= S2AP_READ;
      if ((permissions & W) !== 0) entry |= S2AP_WRITE;
      if (attributes.kernel) entry |= SOFTWARE_KERNEL;
      return entry | (BigInt(xnOf(permissions)) << XN_SHIFT);
    },
    decode(entry: bigint, level: number): DecodedEntry {
      const kind = entryKind(entry, level);
      if (kind === EntryKind.HOLE) return { type: "hole" };
      const address = entryAddress(entry, level);
      codec.checkDecodedAddress(entry, address);
      if (kind === EntryKind.TABLE) return { type: "table", address };
      let permissions = permissionsOfXn(Number((entry >> XN_SHIFT) & 3n));
      if ((entry & S2AP_READ) !== 0n) permissions |= R;
      if ((entry & S2AP_WRITE) !== 0n) permissions |= W;
      return {
        type: "leaf",
        address,
        permissions,
        attributes: {
          cache: cacheOfStage2MemAttr(Number((entry >> MEM_ATTR_SHIFT) & 0xfn)),
          keyId: 0,
          user: true,
          kernel: (entry & SOFTWARE_KERNEL) !== 0n,
          global: false,
          shadowStack: false,
        },
      };
    },
    entryKind,
    entryAddress,
  });
}
