import { EntryKind, NovakitError } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { VmsaGeometry } from "./vmsa-geometry.js";

/** reference/paging.md §3.2: descriptor bits 1:0 */
export const DESCRIPTOR_VALID = 1n << 0n;
/** bit 1: table (levels -1..2) or page (level 3); 0 = block */
export const DESCRIPTOR_TABLE_OR_PAGE = 1n << 1n;
/** bits 9:8: SH, or OA[51:50] with DS = 1 (paging.md §3.3-3.5) */
const OA_51_50_SHIFT = 8n;
const OA_51_50_FIELD = 3n << OA_51_50_SHIFT;
/** bits 49:12 hold the OA with DS = 1, bits 47:12 without (paging.md §3.3) */
const ADDRESS_BITS_LPA2 = ((1n << 50n) - 1n) & ~0xfffn;
const ADDRESS_BITS_48 = ((1n << 48n) - 1n) & ~0xfffn;

/**
 * The address and type parts shared by stage-1 and stage-2 descriptors with the 4 KiB granule:
 * where the output address lives (bits 47:12, or 49:12 plus OA[51:50] in bits 9:8 with LPA2),
 * which levels take blocks, and the type bits (paging.md §3.2-3.5).
 */
export class VmsaDescriptorCodec {
  private readonly outputLimit: bigint;

  constructor(
    readonly geometry: VmsaGeometry,
    private readonly formatName: string,
  ) {
    this.outputLimit = 1n << BigInt(geometry.outputBits);
  }

  /** true when the engine level may hold a block (Arm L1/L2; L0 with DS = 1; never the LPA2 L-1). */
  blockAllowed(level: number): boolean {
    return level >= 1 && level <= this.geometry.maxLeafLevel && level < this.geometry.levels;
  }

  /** Places an output address in descriptor bits (paging.md §3.3: LPA2 moves OA[51:50] to 9:8). */
  placeAddress(address: bigint): bigint {
    if (!this.geometry.lpa2) return address;
    return (address & ADDRESS_BITS_LPA2) | (((address >> 50n) & 3n) << OA_51_50_SHIFT);
  }

  /** The output address a descriptor holds, aligned to `alignmentBits`. */
  addressOf(entry: bigint, alignmentBits: bigint): bigint {
    const low = entry & (this.geometry.lpa2 ? ADDRESS_BITS_LPA2 : ADDRESS_BITS_48) & ~((1n << alignmentBits) - 1n);
    return this.geometry.lpa2 ? low | (((entry & OA_51_50_FIELD) >> OA_51_50_SHIFT) << 50n) : low;
  }

  /** bits 9:8 are free for SH only without LPA2 */
  get shareabilityInDescriptor(): boolean {
    return !this.geometry.lpa2;
  }

  /**
   * Entry class for a walk at an engine level (paging.md §3.2, §4 item 6): bit 0 clear = invalid;
   * 11 = table (page at level 3); 01 = block where blocks are allowed, otherwise (level 3, the
   * 4 KiB level 0 without DS, the LPA2 level -1) a translation fault, i.e. nothing mapped.
   */
  kindOf(entry: bigint, level: number): EntryKind {
    if ((entry & DESCRIPTOR_VALID) === 0n) return EntryKind.HOLE;
    if ((entry & DESCRIPTOR_TABLE_OR_PAGE) !== 0n) return level === 0 ? EntryKind.LEAF : EntryKind.TABLE;
    return this.blockAllowed(level) ? EntryKind.LEAF : EntryKind.HOLE;
  }

  /** An output address beyond the configured size is an address size fault (NK-A64-011). */
  checkDecodedAddress(entry: bigint, address: bigint): void {
    if (address >= this.outputLimit) {
      throw new NovakitError(
        A64Diagnostic.ADDRESS_SIZE_FAULT,
        `${this.formatName}: descriptor 0x${entry.toString(16)} holds output address 0x${address.toString(16)} beyond ${this.geometry.outputBits} bits (address size fault)`,
        { field: "entry" },
      );
    }
  }

  checkEncodableAddress(address: bigint, level: number): void {
    const alignment = (1n << BigInt(12 + 9 * level)) - 1n;
    if (address < 0n || address >= this.outputLimit || (address & alignment) !== 0n) {
      throw this.encodingError(`address 0x${address.toString(16)} is not a ${this.geometry.outputBits}-bit address aligned for level ${level}`, "address");
    }
  }

  checkTableLevel(level: number): void {
    if (!Number.isInteger(level) || level < 1 || level >= this.geometry.levels) {
      throw this.encodingError(`no table descriptors at level ${level} (levels 1..${this.geometry.levels - 1})`, "level");
    }
  }

  checkLeafLevel(level: number): void {
    if (!Number.isInteger(level) || level < 0 || (level > 0 && !this.blockAllowed(level))) {
      throw this.encodingError(`no blocks or pages at level ${level} (largest block level ${this.geometry.maxLeafLevel})`, "level");
    }
  }

  /** type bits of a leaf: 11 page at level 0 (Arm L3), 01 block above */
  leafType(level: number): bigint {
    return level === 0 ? DESCRIPTOR_VALID | DESCRIPTOR_TABLE_OR_PAGE : DESCRIPTOR_VALID;
  }

  encodingError(message: string, field: string): NovakitError {
    return a64Error(A64Diagnostic.BAD_ENCODING, `${this.formatName}: ${message}`, { field });
  }
}
