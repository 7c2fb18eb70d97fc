import { NovakitError } from "../errors/novakit-error.js";
import {
  EntryKind,
  type CacheAttribute,
  type DecodedEntry,
  type MemoryAttributes,
  type PageTableFormat,
} from "./page-table-format.js";

/**
 * "novakit-testing": a TEST-ONLY page-table format, so kernel-core's own tests and its test kit
 * can run the radix engine without an architecture plugin. It resembles no hardware on purpose:
 * every field has its own bits, so a test failure points at the engine, not at an encoding.
 *
 * 4 levels, 48-bit input, 48-bit output, leaves at levels 0-2 (4 KiB, 2 MiB, 1 GiB).
 *
 * | bits  | meaning |
 * | 0     | V valid (0 = hole) |
 * | 1     | T table pointer (only at levels >= 1; a valid entry without T is a leaf) |
 * | 5:2   | leaf permissions R, W, XU, XS (MemoryPermission bits shifted by 2) |
 * | 8:6   | leaf cache attribute: 0 WB, 1 WT, 2 WC, 3 UC, 4 WP, 5 DEV |
 * | 9     | leaf user |
 * | 10    | leaf kernel |
 * | 11    | leaf global |
 * | 47:12 | table or frame address (a level-l leaf frame is aligned to 2^(12+9l)) |
 * | 48    | leaf shadow stack |
 * | 63:56 | leaf key id (so entries with key id >= 128 are negative as signed 64-bit words) |
 */
const VALID = 1n;
const TABLE = 2n;
const USER = 1n << 9n;
const KERNEL = 1n << 10n;
const GLOBAL = 1n << 11n;
const SHADOW_STACK = 1n << 48n;
const ADDRESS_MASK = ((1n << 48n) - 1n) & ~0xfffn;
const KEY_SHIFT = 56n;
const KEY_LIMIT = 256;
const CACHE_CODES: readonly CacheAttribute[] = ["WB", "WT", "WC", "UC", "WP", "DEV"];

function encodeTable(tableAddress: bigint, level: number): bigint {
  checkAddress(tableAddress, 0, level);
  return tableAddress | TABLE | VALID;
}

function encodeLeaf(frameAddress: bigint, level: number, permissions: number, attributes: MemoryAttributes): bigint {
  if (level < 0 || level > 2) throw encodingError(`no leaves at level ${level}`, "level");
  checkAddress(frameAddress, level, level);
  if ((permissions & 0xf) === 0) return 0n;
  if (!Number.isInteger(attributes.keyId) || attributes.keyId < 0 || attributes.keyId >= KEY_LIMIT) {
    throw encodingError(`key id ${attributes.keyId} does not fit 8 bits`, "attributes.keyId");
  }
  return (
    frameAddress |
    VALID |
    (BigInt(permissions & 0xf) << 2n) |
    (BigInt(CACHE_CODES.indexOf(attributes.cache)) << 6n) |
    (attributes.user ? USER : 0n) |
    (attributes.kernel ? KERNEL : 0n) |
    (attributes.global ? GLOBAL : 0n) |
    (attributes.shadowStack ? SHADOW_STACK : 0n) |
    (BigInt(attributes.keyId) << KEY_SHIFT)
  );
}

function entryKind(entry: bigint, level: number): EntryKind {
  if ((entry & VALID) === 0n) return EntryKind.HOLE;
  return level > 0 && (entry & TABLE) !== 0n ? EntryKind.TABLE : EntryKind.LEAF;
}

function entryAddress(entry: bigint): bigint {
  return entry & ADDRESS_MASK;
}

function decode(entry: bigint, level: number): DecodedEntry {
  const kind = entryKind(entry, level);
  if (kind === EntryKind.HOLE) return { type: "hole" };
  if (kind === EntryKind.TABLE) return { type: "table", address: entry & ADDRESS_MASK };
  return {
    type: "leaf",
    address: entry & ADDRESS_MASK,
    permissions: Number((entry >> 2n) & 0xfn),
    attributes: {
      cache: CACHE_CODES[Number((entry >> 6n) & 7n)] ?? "UC",
      keyId: Number(entry >> KEY_SHIFT),
      user: (entry & USER) !== 0n,
      kernel: (entry & KERNEL) !== 0n,
      global: (entry & GLOBAL) !== 0n,
      shadowStack: (entry & SHADOW_STACK) !== 0n,
    },
  };
}

function checkAddress(address: bigint, alignmentLevel: number, level: number): void {
  const alignment = (1n << BigInt(12 + 9 * alignmentLevel)) - 1n;
  if (address < 0n || (address & ~ADDRESS_MASK) !== 0n || (address & alignment) !== 0n) {
    throw encodingError(`address 0x${address.toString(16)} is not a 48-bit address aligned for level ${level}`, "address");
  }
}

function encodingError(message: string, field: string): NovakitError {
  return new NovakitError("NK-MEM-009", `novakit-testing format: ${message}`, { field });
}

export const testingPageTableFormat: PageTableFormat = Object.freeze({
  name: "novakit-testing",
  levels: 4,
  inputBits: 48,
  outputBits: 48,
  maxLeafLevel: 2,
  rootEntries: 512,
  linearLeafAddress: true,
  encodeTable,
  encodeLeaf,
  decode,
  entryKind,
  entryAddress,
});
