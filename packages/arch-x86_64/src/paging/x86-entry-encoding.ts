import {
  MemoryPermission,
  NovakitError,
  type DecodedEntry,
  type EntryKind,
  type MemoryAttributes,
  type PageTableFormat,
} from "@novakit/kernel-core";
import type { X86PagingGeometry } from "./x86-paging-options.js";

/**
 * What every x86_64 entry encoding here shares (host tables, NPT, EPT): 64-bit entries with the
 * frame address in bits obits-1:12 (a large leaf's frame aligned to its size), the memory-encryption
 * key id at bit obits, one fixed set of non-leaf attributes, and the same encoding checks
 * (level, alignment, key id; NK-MEM-012). Subclasses supply the leaf bits and the decoding.
 */
export abstract class X86EntryEncoding {
  protected readonly addressMask: bigint;
  protected readonly keyShift: bigint;
  /** per level: the frame-address bits of a leaf at that level */
  protected readonly leafAddressMasks: bigint[] = [];
  protected readonly keyLimit: number;

  protected constructor(
    protected readonly geometry: X86PagingGeometry,
    protected readonly name: string,
    /** what NOVA writes into every non-leaf entry of this format */
    private readonly tableAttributes: bigint,
  ) {
    this.addressMask = ((1n << BigInt(geometry.outputBits)) - 1n) & ~0xfffn;
    this.keyShift = BigInt(geometry.outputBits);
    for (let level = 0; level < geometry.levels; level++) {
      this.leafAddressMasks.push(this.addressMask & ~((1n << BigInt(12 + 9 * level)) - 1n));
    }
    this.keyLimit = 2 ** geometry.keyIdBits;
  }

  /** The frozen PageTableFormat the engine uses; methods are bound so they can be called detached. */
  format(): PageTableFormat {
    const geometry = this.geometry;
    return Object.freeze({
      name: this.name,
      levels: geometry.levels,
      inputBits: geometry.inputBits,
      outputBits: geometry.outputBits,
      maxLeafLevel: geometry.maxLeafLevel,
      rootEntries: 512,
      // the frame address sits verbatim in bits obits-1:12, below the key id
      linearLeafAddress: true,
      encodeTable: (address: bigint, level: number) => this.encodeTable(address, level),
      encodeLeaf: (address: bigint, level: number, permissions: number, attributes: MemoryAttributes) =>
        this.encodeLeaf(address, level, permissions, attributes),
      decode: (entry: bigint, level: number) => this.decode(entry, level),
      entryKind: (entry: bigint, level: number) => this.entryKind(entry, level),
      entryAddress: (entry: bigint, level: number) => this.entryAddress(entry, level),
      pathPermissions: (entry: bigint) => this.pathPermissions(entry),
    });
  }

  encodeTable(address: bigint, level: number): bigint {
    if (!Number.isInteger(level) || level < 1 || level >= this.geometry.levels) {
      throw this.encodingError(`no table pointers at level ${level}`, "level");
    }
    this.checkAddress(address, 0);
    return address | this.tableAttributes;
  }

  encodeLeaf(address: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint {
    if (!Number.isInteger(level) || level < 0 || level > this.geometry.maxLeafLevel) {
      throw this.encodingError(`no leaves at level ${level} (largest leaf level ${this.geometry.maxLeafLevel})`, "level");
    }
    this.checkAddress(address, level);
    const { R, W, XU, XS } = MemoryPermission;
    if ((permissions & (R | W | XU | XS)) === 0) return 0n;
    const keyId = attributes.keyId;
    if (!Number.isInteger(keyId) || keyId < 0 || keyId >= this.keyLimit) {
      throw this.encodingError(`key id ${keyId} does not fit ${this.geometry.keyIdBits} key-id bits`, "attributes.keyId");
    }
    return this.leafBits(address, level, permissions, attributes) | (BigInt(keyId) << this.keyShift);
  }

  /** the leaf entry without the key id, for checked arguments and at least one permission */
  protected abstract leafBits(address: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint;
  abstract entryKind(entry: bigint, level: number): EntryKind;
  abstract entryAddress(entry: bigint, level: number): bigint;
  abstract decode(entry: bigint, level: number): DecodedEntry;
  abstract pathPermissions(entry: bigint): number;

  protected checkAddress(address: bigint, level: number): void {
    const alignment = (1n << BigInt(12 + 9 * level)) - 1n;
    if (address < 0n || (address & ~this.addressMask) !== 0n || (address & alignment) !== 0n) {
      throw this.encodingError(
        `address 0x${address.toString(16)} is not a ${this.geometry.outputBits}-bit address aligned for level ${level}`,
        "address",
      );
    }
  }

  protected encodingError(message: string, field: string): NovakitError {
    return new NovakitError("NK-MEM-012", `${this.name}: ${message}`, { field });
  }
}
