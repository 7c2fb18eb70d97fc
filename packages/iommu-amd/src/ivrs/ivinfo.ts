import type { Ivinfo } from "./ivrs-types.js";

/** Decodes the IVinfo dword at offset 36 (amd-iommu.md §1.1 "IVinfo"). */
export function decodeIvinfo(raw: number): Ivinfo {
  return {
    raw: raw >>> 0,
    efrSupported: (raw & 1) !== 0,
    dmaRemapSupported: ((raw >>> 1) & 1) !== 0,
    gvaSize: (raw >>> 5) & 0x7,
    paSize: (raw >>> 8) & 0x7f,
    vaSize: (raw >>> 15) & 0x7f,
    htAtsReserved: ((raw >>> 22) & 1) !== 0,
  };
}
