import type { DteWords } from "../device-table/device-table-entry.js";
import { DPT_IR, DPT_IW } from "../dpt/amd-dpt-bits.js";

/**
 * A device table entry as the unit caches it: the four quadwords read from memory plus the DMA
 * fields decoded once (reference/amd-iommu.md §3.1, §3.2), so an IOTLB hit needs no BigInt work
 * on the DTE. Stale by design: it is what the unit read, not what memory holds now.
 */
export interface DteSnapshot {
  readonly words: DteWords;
  /** V (bit 0) */
  readonly valid: boolean;
  /** TV = 1, Mode 1 .. the unit's deepest Mode, no reserved bits: the IOTLB may answer */
  readonly translating: boolean;
  /** Mode, bits 11:9 */
  readonly mode: number;
  /** DomainID, bits 79:64 */
  readonly domainId: number;
  /** DTE.IR (bit 61) and DTE.IW (bit 62) */
  readonly read: boolean;
  readonly write: boolean;
  /** EX (bit 103): the device may use the exclusion range */
  readonly exclusion: boolean;
  /** SA (bit 98): suppress all I/O page-fault events */
  readonly suppressFaults: boolean;
}

const V = 1n << 0n;
const TV = 1n << 1n;
/** §3.3: QEMU's reserved mask of quadword 0 (bits 6:2 and 63) */
const Q0_RESERVED = (0x1fn << 2n) | (1n << 63n);
const EX = 1n << 39n;
const SA = 1n << 34n;

export function snapshotDte(words: DteWords, maxLevels: number): DteSnapshot {
  const [q0, q1] = words;
  const mode = Number((q0 >> 9n) & 7n);
  return {
    words,
    valid: (q0 & V) !== 0n,
    translating: (q0 & TV) !== 0n && mode >= 1 && mode <= maxLevels && (q0 & Q0_RESERVED) === 0n,
    mode,
    domainId: Number(q1 & 0xffffn),
    read: (q0 & DPT_IR) !== 0n,
    write: (q0 & DPT_IW) !== 0n,
    exclusion: (q1 & EX) !== 0n,
    suppressFaults: (q1 & SA) !== 0n,
  };
}
