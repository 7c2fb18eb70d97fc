import type { CacheAttribute } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";

/**
 * NOVA's MAIR_EL2 (reference/paging.md §3.7): index 0..3 = Device-nGnRnE, -nGnRE, -nGRE, -GRE,
 * 4 unused (0x00), 5 = Normal NC (0x44), 6 = Normal WT (0xBB), 7 = Normal WB (0xFF).
 */
export const NOVA_MAIR_EL2 = 0xffbb_4400_0c08_0400n;

/** Stage-1 AttrIndx of each kernel-core cache attribute, into NOVA_MAIR_EL2. */
export const AttrIndex = {
  DEVICE_nGnRnE: 0,
  DEVICE_nGnRE: 1,
  DEVICE_nGRE: 2,
  DEVICE_GRE: 3,
  NORMAL_NC: 5,
  NORMAL_WT: 6,
  NORMAL_WB: 7,
} as const;

/**
 * How kernel-core's (x86-flavoured) cache attributes map onto Arm memory types — a model
 * choice, since Arm has no WP and no WC: WB -> Normal WB, WT -> Normal WT, WC -> Normal
 * Non-cacheable (write-combining-like: gathering allowed), UC -> Device-nGnRnE (strongly
 * ordered, like x86 UC), DEV -> Device-nGnRE (what NOVA maps device MMIO with). WP has no
 * Arm equivalent (NK-A64-004).
 */
export function attrIndexOf(cache: CacheAttribute): number {
  switch (cache) {
    case "WB":
      return AttrIndex.NORMAL_WB;
    case "WT":
      return AttrIndex.NORMAL_WT;
    case "WC":
      return AttrIndex.NORMAL_NC;
    case "UC":
      return AttrIndex.DEVICE_nGnRnE;
    case "DEV":
      return AttrIndex.DEVICE_nGnRE;
    default:
      throw a64Error(A64Diagnostic.UNSUPPORTED_CACHE, `cache attribute ${cache} has no VMSAv8-64 memory type`, { field: "attributes.cache" }, "use WB, WT, WC, UC or DEV");
  }
}

/** The cache attribute of a MAIR byte (NOVA's MAIR: index 4 holds 0x00, Device-nGnRnE). */
export function cacheOfAttrIndex(index: number, mair: bigint = NOVA_MAIR_EL2): CacheAttribute {
  return cacheOfMairByte(Number((mair >> BigInt(8 * index)) & 0xffn));
}

/** paging.md §3.7: 0x00 nGnRnE, 0x04/0x08/0x0C other device types, normal bytes by policy nibbles. */
export function cacheOfMairByte(byte: number): CacheAttribute {
  if ((byte & 0xf0) === 0) return byte === 0x00 ? "UC" : "DEV";
  return normalCacheOf(byte >> 4, byte & 0xf);
}

/** Normal memory: the weaker of the outer/inner policies decides (NC < WT < WB). */
function normalCacheOf(outer: number, inner: number): CacheAttribute {
  const rank = (nibble: number): number => {
    if (nibble === 0x4) return 0; // Non-cacheable
    if ((nibble & 0xc) === 0x8 || (nibble & 0xc) === 0x0) return 1; // Write-Through (transient or not)
    return 2; // Write-Back
  };
  const weakest = Math.min(rank(outer), rank(inner));
  return weakest === 0 ? "WC" : weakest === 1 ? "WT" : "WB";
}

/**
 * Stage-2 MemAttr[3:0] (paging.md §3.5, HCR_EL2.FWB=0), derived from the MAIR byte as NOVA does
 * (outer nibble's top two bits -> [3:2], inner's -> [1:0]): WB 0xF, WT 0xA, WC (NC) 0x5,
 * UC (nGnRnE) 0x0, DEV (nGnRE) 0x1.
 */
export function stage2MemAttrOf(cache: CacheAttribute): number {
  const byte = Number((NOVA_MAIR_EL2 >> BigInt(8 * attrIndexOf(cache))) & 0xffn);
  if ((byte & 0xf0) === 0) return byte >> 2;
  return (((byte >> 6) & 3) << 2) | ((byte >> 2) & 3);
}

/** Decodes MemAttr[3:0]: [3:2] = 00 device (00 nGnRnE, else other device), else normal outer/inner. */
export function cacheOfStage2MemAttr(memAttr: number): CacheAttribute {
  if ((memAttr & 0xc) === 0) return (memAttr & 3) === 0 ? "UC" : "DEV";
  // 01 NC, 10 WT, 11 WB for both halves; inner 00 is reserved: treat as the weakest (NC)
  const rank = (bits: number): number => (bits <= 1 ? 0 : bits === 2 ? 1 : 2);
  const weakest = Math.min(rank((memAttr >> 2) & 3), rank(memAttr & 3));
  return weakest === 0 ? "WC" : weakest === 1 ? "WT" : "WB";
}
