import {
  EntryKind,
  MemoryPermission,
  NovakitError,
  PATH_PERMISSION_USER,
  type DecodedEntry,
  type MemoryAttributes,
  type PageTableFormat,
} from "@novakit/kernel-core";
import { cacheOfMemoryType, memoryTypeOf } from "./x86-cache-attribute.js";
import { X86EntryEncoding } from "./x86-entry-encoding.js";
import { x86PagingGeometry, type X86PagingGeometry, type X86PagingOptions } from "./x86-paging-options.js";

// EPT entry bits (reference/paging.md §2.7; NOVA Ept, nova.md §3.2)
const R = 1n << 0n;
const W = 1n << 1n;
/** X, or supervisor-mode execute when mode-based execute control (MBEC) is on */
const XS = 1n << 2n;
const MEMORY_TYPE_SHIFT = 3n;
const LARGE = 1n << 7n;
/** user-mode execute (MBEC) */
const XU = 1n << 10n;
const ACCESS_BITS = R | W | XS | XU;
/** NOVA: non-leaf EPT entries are R|W|XS|XU */
const TABLE_ATTRIBUTES = R | W | XS | XU;

export interface EptOptions extends X86PagingOptions {
  /** mode-based execute control; NOVA's default is on. Off: XS and XU both mean "any execute". */
  readonly mbec?: boolean;
}

/**
 * Intel EPT as NOVA writes it (reference/paging.md §2.7): tables R|W|XS|XU; leaves R, W, XS
 * (bit 2), XU (bit 10), bit 7 on levels >= 1, the memory type in bits 5:3 (NOVA's cache
 * attribute converted through its PAT: WB 6, WT 4, WC 1, UC 0, WP 5), the key id at bit obits.
 * IPAT and the A/D bits are left to hardware. An entry with R=W=X=0 is not present.
 * Guest memory has no user/kernel/global notion in EPT: decoded leaves say user, not kernel,
 * not global, no shadow stack.
 */
export function createEptFormat(options: EptOptions): PageTableFormat {
  const name = `x86_64-ept-${options.levels}level`;
  return new EptEncoding(x86PagingGeometry(options, name), name, options.mbec ?? true).format();
}

/** The EPT pointer NOVA builds (INVEPT descriptor, paging.md §2.7): root | (levels-1)<<3 | WB, optionally A/D on. */
export function eptPointer(rootAddress: bigint, levels: 4 | 5, accessedDirty = false): bigint {
  return rootAddress | (BigInt(levels - 1) << 3n) | 6n | (accessedDirty ? 1n << 6n : 0n);
}

class EptEncoding extends X86EntryEncoding {
  constructor(
    geometry: X86PagingGeometry,
    name: string,
    private readonly mbec: boolean,
  ) {
    super(geometry, name, TABLE_ATTRIBUTES);
  }

  protected leafBits(address: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint {
    const P = MemoryPermission;
    const anyExecute = P.XS | P.XU;
    let entry = address;
    if ((permissions & P.R) !== 0) entry |= R;
    if ((permissions & P.W) !== 0) entry |= W;
    if ((permissions & (this.mbec ? P.XS : anyExecute)) !== 0) entry |= XS;
    if ((permissions & (this.mbec ? P.XU : anyExecute)) !== 0) entry |= XU;
    if (level > 0) entry |= LARGE;
    entry |= BigInt(memoryTypeOf(attributes.cache)) << MEMORY_TYPE_SHIFT;
    return entry;
  }

  entryKind(entry: bigint, level: number): EntryKind {
    if ((entry & ACCESS_BITS) === 0n) return EntryKind.HOLE;
    if (level === 0) return EntryKind.LEAF;
    if ((entry & LARGE) === 0n) return EntryKind.TABLE;
    if (level > this.geometry.maxLeafLevel) {
      throw new NovakitError(
        "NK-MEM-011",
        `${this.name}: bit 7 set in a level-${level} entry 0x${entry.toString(16)} (EPT misconfiguration)`,
        { field: `level${level}.large` },
      );
    }
    return EntryKind.LEAF;
  }

  entryAddress(entry: bigint, level: number): bigint {
    // a large leaf's frame is aligned to its size (in host entries bit 12 is PAT there, not address)
    return entry & (level > 0 && (entry & LARGE) !== 0n ? (this.leafAddressMasks[level] as bigint) : this.addressMask);
  }


  decode(entry: bigint, level: number): DecodedEntry {
    const kind = this.entryKind(entry, level);
    if (kind === EntryKind.HOLE) return { type: "hole" };
    if (kind === EntryKind.TABLE) return { type: "table", address: entry & this.addressMask };
    const P = MemoryPermission;
    let permissions = 0;
    if ((entry & R) !== 0n) permissions |= P.R;
    if ((entry & W) !== 0n) permissions |= P.W;
    if ((entry & XS) !== 0n) permissions |= this.mbec ? P.XS : P.XS | P.XU;
    if ((entry & XU) !== 0n) permissions |= this.mbec ? P.XU : P.XS | P.XU;
    return {
      type: "leaf",
      address: this.entryAddress(entry, level),
      permissions,
      attributes: {
        cache: cacheOfMemoryType(Number((entry >> MEMORY_TYPE_SHIFT) & 7n)),
        keyId: Number((entry >> this.keyShift) & BigInt(this.keyLimit - 1)),
        user: true,
        kernel: false,
        global: false,
        shadowStack: false,
      },
    };
  }

  /** A non-leaf EPT entry's R/W/X bits limit what the walk grants below it. */
  pathPermissions(entry: bigint): number {
    const P = MemoryPermission;
    let allowed = PATH_PERMISSION_USER;
    if ((entry & R) !== 0n) allowed |= P.R;
    if ((entry & W) !== 0n) allowed |= P.W;
    if ((entry & XS) !== 0n) allowed |= this.mbec ? P.XS : P.XS | P.XU;
    if ((entry & XU) !== 0n) allowed |= this.mbec ? P.XU : P.XS | P.XU;
    return allowed;
  }
}
