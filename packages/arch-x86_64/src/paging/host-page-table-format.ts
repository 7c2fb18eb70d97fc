import {
  EntryKind,
  MemoryPermission,
  NovakitError,
  PATH_PERMISSION_USER,
  type DecodedEntry,
  type MemoryAttributes,
  type PageTableFormat,
} from "@novakit/kernel-core";
import { cacheOfPatIndex, patIndexOf } from "./x86-cache-attribute.js";
import { X86EntryEncoding } from "./x86-entry-encoding.js";
import { x86PagingGeometry, type X86PagingGeometry, type X86PagingOptions } from "./x86-paging-options.js";

// IA-32e paging-structure entry bits (reference/paging.md §2.4; NOVA Hpt, nova.md §3.2)
const P = 1n << 0n;
const RW = 1n << 1n;
const US = 1n << 2n;
const PWT_PCD_SHIFT = 3n;
const A = 1n << 5n;
const D = 1n << 6n;
const PS = 1n << 7n;
const G = 1n << 8n;
/** NOVA's software bit for kernel memory (never delegable) */
const K = 1n << 9n;
const NX = 1n << 63n;
const PAT_4K_SHIFT = 5n; // PAT index bit 2 -> entry bit 7
const PAT_LARGE_SHIFT = 10n; // PAT index bit 2 -> entry bit 12
/** paging.md §2.4 "NOVA host page table": every non-leaf entry is P|RW|US|A */
const TABLE_ATTRIBUTES = P | RW | US | A;

/** The knobs in which NOVA's host table (Hpt) and AMD's nested table (NPT) differ. */
export interface X86LongModeVariant {
  readonly name: string;
  /** NPT: nested walks are user accesses, so U/S=1 in every entry (paging.md §2.8) */
  readonly forceUser: boolean;
}

/**
 * NOVA's x86_64 host page table (`Hpt`) bit-exact: reference/paging.md §2.4 and nova.md §3.2.
 * Non-leaf entries P|RW|US|A. Leaves P|A plus W, U, G, K (bit 9), NX unless XU or XS, D pre-set
 * when writable or shadow stack, PS on levels >= 1, PAT/PCD/PWT from the cache attribute via
 * NOVA's PAT (NOVA_IA32_PAT), and the key id at bit obits. A shadow-stack page is W=0 D=1.
 *
 * Decoding follows the hardware walk: P=0 is not present; a set PS in a PML4E/PML5E (or in a
 * PDPTE without 1 GiB pages) and reserved address bits are reserved-bit faults (NK-MEM-011).
 * A leaf with execute decodes as XU|XS (x86 has one X bit, nova.md §1.4).
 */
export function createHostPageTableFormat(options: X86PagingOptions): PageTableFormat {
  return createLongModeFormat(options, { name: `x86_64-hpt-${options.levels}level`, forceUser: false });
}

export function createLongModeFormat(options: X86PagingOptions, variant: X86LongModeVariant): PageTableFormat {
  const geometry = x86PagingGeometry(options, variant.name);
  return new LongModeEncoding(geometry, variant).format();
}

class LongModeEncoding extends X86EntryEncoding {
  private readonly reservedAddressBits: bigint;
  private readonly forcedUser: bigint;

  constructor(
    geometry: X86PagingGeometry,
    private readonly variant: X86LongModeVariant,
  ) {
    super(geometry, variant.name, TABLE_ATTRIBUTES);
    // bits 51:MAXPHYADDR of any entry are reserved (paging.md §2.1, §4 item 1)
    this.reservedAddressBits = ((1n << 52n) - 1n) & ~((1n << BigInt(geometry.physicalAddressBits)) - 1n);
    this.forcedUser = variant.forceUser ? US : 0n;
  }

  protected leafBits(address: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint {
    const { W, XU, XS } = MemoryPermission;
    const writable = (permissions & W) !== 0;
    const pat = BigInt(patIndexOf(attributes.cache));
    let entry = address | P | A | this.forcedUser;
    if (writable) entry |= RW;
    if (writable || attributes.shadowStack) entry |= D;
    if (attributes.user) entry |= US;
    if (attributes.global) entry |= G;
    if (attributes.kernel) entry |= K;
    if ((permissions & (XU | XS)) === 0) entry |= NX;
    if (level > 0) entry |= PS;
    entry |= (pat & 4n) << (level > 0 ? PAT_LARGE_SHIFT : PAT_4K_SHIFT);
    entry |= (pat & 3n) << PWT_PCD_SHIFT;
    return entry;
  }

  entryKind(entry: bigint, level: number): EntryKind {
    if ((entry & P) === 0n) return EntryKind.HOLE;
    if (level === 0) return EntryKind.LEAF;
    if ((entry & PS) === 0n) return EntryKind.TABLE;
    if (level > this.geometry.maxLeafLevel) {
      throw new NovakitError(
        "NK-MEM-011",
        `${this.variant.name}: PS set in a level-${level} entry 0x${entry.toString(16)} (reserved-bit fault)`,
        { field: `level${level}.PS` },
        level >= 3 ? "x86 has no 512 GiB pages" : "this CPU has no 1 GiB pages",
      );
    }
    return EntryKind.LEAF;
  }

  entryAddress(entry: bigint, level: number): bigint {
    // a large leaf's frame is aligned to its size (in host entries bit 12 is PAT there, not address)
    return entry & (level > 0 && (entry & PS) !== 0n ? (this.leafAddressMasks[level] as bigint) : this.addressMask);
  }


  decode(entry: bigint, level: number): DecodedEntry {
    const kind = this.entryKind(entry, level);
    if (kind === EntryKind.HOLE) return { type: "hole" };
    this.checkReserved(entry, kind === EntryKind.LEAF ? level : 0);
    if (kind === EntryKind.TABLE) return { type: "table", address: entry & this.addressMask };
    const { R, W, XU, XS } = MemoryPermission;
    let permissions = R;
    if ((entry & RW) !== 0n) permissions |= W;
    if ((entry & NX) === 0n) permissions |= XU | XS;
    const patHigh = (entry >> (level > 0 ? PAT_LARGE_SHIFT : PAT_4K_SHIFT)) & 4n;
    const pat = Number(patHigh | ((entry >> PWT_PCD_SHIFT) & 3n));
    return {
      type: "leaf",
      address: this.entryAddress(entry, level),
      permissions,
      attributes: {
        cache: cacheOfPatIndex(pat),
        keyId: Number((entry >> this.keyShift) & BigInt(this.keyLimit - 1)),
        user: (entry & US) !== 0n,
        kernel: (entry & K) !== 0n,
        global: (entry & G) !== 0n,
        shadowStack: (entry & RW) === 0n && (entry & D) !== 0n,
      },
    };
  }

  /** paging.md §2.4 notes: W only if R/W=1 at every level, U only if U/S=1, X only if XD=0. */
  pathPermissions(entry: bigint): number {
    const { R, W, XU, XS } = MemoryPermission;
    let allowed = R;
    if ((entry & RW) !== 0n) allowed |= W;
    if ((entry & US) !== 0n) allowed |= PATH_PERMISSION_USER;
    if ((entry & NX) === 0n) allowed |= XU | XS;
    return allowed;
  }

  private checkReserved(entry: bigint, leafLevel: number): void {
    // large leaves: bits (12 + 9l - 1):13 are reserved (bit 12 is PAT), paging.md §4 item 1
    const largeLeafBits = leafLevel > 0 ? ((1n << BigInt(12 + 9 * leafLevel)) - 1n) & ~0x1fffn : 0n;
    const reserved = entry & (this.reservedAddressBits | largeLeafBits);
    if (reserved !== 0n) {
      throw new NovakitError(
        "NK-MEM-011",
        `${this.variant.name}: entry 0x${entry.toString(16)} sets reserved bits 0x${reserved.toString(16)} (reserved-bit fault)`,
        { field: "entry" },
      );
    }
  }
}
