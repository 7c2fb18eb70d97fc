import {
  EntryKind,
  MemoryPermission,
  PATH_PERMISSION_USER,
  type DecodedEntry,
  type MemoryAttributes,
  type PageTableFormat,
} from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import { attrIndexOf, cacheOfAttrIndex } from "./memory-attributes.js";
import { VmsaDescriptorCodec } from "./vmsa-descriptor.js";
import { stage1Geometry } from "./vmsa-geometry.js";

// Stage-1 block/page descriptor bits (reference/paging.md §3.4)
const ATTR_INDEX_SHIFT = 2n;
/** AP[1]: EL0 access in two-privilege regimes; NOVA's U bit 6 (nova.md §3.2) */
const AP_USER = 1n << 6n;
/** AP[2]: read-only (NOVA's nW bit 7) */
const AP_READ_ONLY = 1n << 7n;
const SH_INNER = 3n << 8n;
const AF = 1n << 10n;
const NOT_GLOBAL = 1n << 11n;
/** PXN: two-range regimes only, RES0 at non-VHE EL2 */
const PXN = 1n << 53n;
/** UXN (two-range) / XN (one range, non-VHE EL2) */
const UXN_XN = 1n << 54n;
/** a software bit (58:55 are for software): kernel memory, never delegable, as NOVA's K */
const SOFTWARE_KERNEL = 1n << 55n;
// Stage-1 table descriptor attributes (paging.md §3.3)
const PXN_TABLE = 1n << 59n;
const UXN_TABLE = 1n << 60n;
const AP_TABLE_NO_EL0 = 1n << 61n;
const AP_TABLE_READ_ONLY = 1n << 62n;

/**
 * Which EL2 translation regime the host tables serve:
 *  - "el2": HCR_EL2.E2H = 0 (non-VHE, one VA range, TTBR0_EL2 only): one XN bit (54), PXN RES0;
 *  - "el2&0": E2H = 1 (VHE): PXN (53) governs EL2 execution (XS), UXN (54) EL0 execution (XU).
 * AP[1] (bit 6) carries NOVA's user bit in both, which keeps it set for every user mapping as
 * KVM's nVHE code does for RW/RO (paging.md §3.4 notes, and the §3.9 example AP = 01).
 */
export type El2Regime = "el2" | "el2&0";

export interface Stage1El2Options {
  /** VA bits: 48 (4 levels from L0) or 52 with LPA2 (5 levels from L-1, 16-entry root) */
  readonly inputBits: number;
  /** physical address bits the CPU implements (PARange); above 48 only with LPA2 */
  readonly outputBits: number;
  /** FEAT_LPA2 descriptors (TCR_EL2.DS = 1) */
  readonly lpa2: boolean;
  readonly regime?: El2Regime;
}

/**
 * VMSAv8-64 stage-1 EL2 tables, 4 KiB granule, bit-exact (reference/paging.md §3.2-3.4):
 * tables are bits 1:0 = 11 plus the address (no hierarchical attributes, as NOVA); leaves carry
 * AttrIndx (NOVA_MAIR_EL2), AP[2:1], SH = inner (bits 9:8; OA[51:50] with LPA2, shareability
 * then comes from TCR_EL2.SH0), AF = 1, nG for non-global mappings, XN/PXN/UXN by regime, and the
 * kernel marker in software bit 55. Stage 1 cannot express write-only or execute-only memory:
 * every leaf is readable.
 */
export function createStage1El2Format(options: Stage1El2Options): PageTableFormat {
  const geometry = stage1Geometry(options.inputBits, options.outputBits, options.lpa2);
  const regime = options.regime ?? "el2";
  const name = `aarch64-s1-el2-${geometry.inputBits}bit${geometry.lpa2 ? "-lpa2" : ""}${regime === "el2&0" ? "-vhe" : ""}`;
  const codec = new VmsaDescriptorCodec(geometry, name);
  const { R, W, XU, XS } = MemoryPermission;

  const executeNever = (permissions: number): bigint => {
    if (regime === "el2") return (permissions & (XU | XS)) === 0 ? UXN_XN : 0n;
    return ((permissions & XS) === 0 ? PXN : 0n) | ((permissions & XU) === 0 ? UXN_XN : 0n);
  };

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
    // with LPA2 the top OA bits move to 9:8, so a run of leaves is no longer one addition away
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
      entry |= BigInt(attrIndexOf(attributes.cache)) << ATTR_INDEX_SHIFT;
      if (codec.shareabilityInDescriptor) entry |= SH_INNER;
      if (attributes.user) entry |= AP_USER;
      if ((permissions & W) === 0) entry |= AP_READ_ONLY;
      if (!attributes.global) entry |= NOT_GLOBAL;
      if (attributes.kernel) entry |= SOFTWARE_KERNEL;
      return entry | executeNever(permissions);
    },
    decode(entry: bigint, level: number): DecodedEntry {
      const kind = entryKind(entry, level);
      if (kind === EntryKind.HOLE) return { type: "hole" };
      const address = entryAddress(entry, level);
      codec.checkDecodedAddress(entry, address);
      if (kind === EntryKind.TABLE) return { type: "table", address };
      let permissions = R;
      if ((entry & AP_READ_ONLY) === 0n) permissions |= W;
      if (regime === "el2") {
        if ((entry & UXN_XN) === 0n) permissions |= XU | XS;
      } else {
        if ((entry & PXN) === 0n) permissions |= XS;
        if ((entry & UXN_XN) === 0n) permissions |= XU;
      }
      return {
        type: "leaf",
        address,
        permissions,
        attributes: {
          cache: cacheOfAttrIndex(Number((entry >> ATTR_INDEX_SHIFT) & 7n)),
          keyId: 0,
          user: (entry & AP_USER) !== 0n,
          kernel: (entry & SOFTWARE_KERNEL) !== 0n,
          global: (entry & NOT_GLOBAL) === 0n,
          shadowStack: false,
        },
      };
    },
    entryKind,
    entryAddress,
    /** paging.md §3.3: APTable[1] removes write, APTable[0] EL0 access, XNTable/PXNTable execute */
    pathPermissions(tableEntry: bigint): number {
      let allowed = R | W | XU | XS | PATH_PERMISSION_USER;
      if ((tableEntry & AP_TABLE_READ_ONLY) !== 0n) allowed &= ~W;
      if ((tableEntry & AP_TABLE_NO_EL0) !== 0n) allowed &= ~PATH_PERMISSION_USER;
      if ((tableEntry & UXN_TABLE) !== 0n) allowed &= regime === "el2" ? ~(XU | XS) : ~XU;
      if (regime === "el2&0" && (tableEntry & PXN_TABLE) !== 0n) allowed &= ~XS;
      return allowed;
    },
  });
}

/** Arm has no memory-encryption key ids and no x86-style shadow-stack encoding. */
export function checkArmAttributes(attributes: MemoryAttributes, formatName: string): void {
  if (attributes.keyId !== 0) {
    throw a64Error(A64Diagnostic.BAD_ENCODING, `${formatName}: key id ${attributes.keyId}: VMSAv8-64 has no memory-encryption key ids`, { field: "attributes.keyId" });
  }
  if (attributes.shadowStack) {
    throw a64Error(A64Diagnostic.BAD_ENCODING, `${formatName}: shadow-stack pages are an x86 (CET) encoding`, { field: "attributes.shadowStack" });
  }
}
