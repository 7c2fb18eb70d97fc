import type { SeededRandom } from "@novakit/kernel-core";

/** RSDP signature (reference/platform.md §5.1): the one table without the 36-byte SDT header. */
const RSDP_SIGNATURE = "RSD PTR ";
/** SDT header (reference/platform.md §5.2): Length is the u32 at offset 4, checksum the byte at offset 9. */
const SDT_LENGTH_OFFSET = 4;
const SDT_CHECKSUM_OFFSET = 9;
/** RSDP (reference/platform.md §5.1): checksum of bytes 0-19 at 8; length at 20, extended checksum at 32. */
const RSDP_V1_LENGTH = 20;
const RSDP_CHECKSUM_OFFSET = 8;
const RSDP_LENGTH_OFFSET = 20;
const RSDP_EXTENDED_CHECKSUM_OFFSET = 32;
const RSDP_V2_MIN_LENGTH = 36;

/**
 * Makes a mutated ACPI table plausible again so the parser behind the header checks is reached:
 * sometimes the Length field is set to the buffer size (or a few bytes off it), then the
 * checksum is recomputed over what Length covers. Returns a new array.
 */
export function repairAcpiTable(input: Uint8Array, random: SeededRandom): Uint8Array {
  const bytes = input.slice();
  if (startsWith(bytes, RSDP_SIGNATURE)) return repairRsdp(bytes, random);
  if (bytes.length < SDT_CHECKSUM_OFFSET + 1) return bytes;
  const view = new DataView(bytes.buffer);
  if (random.below(2) === 0) {
    const slack = random.below(4) === 0 ? random.below(9) - 4 : 0;
    view.setUint32(SDT_LENGTH_OFFSET, Math.max(0, bytes.length + slack), true);
  }
  const covered = Math.min(view.getUint32(SDT_LENGTH_OFFSET, true), bytes.length);
  fixChecksum(bytes, SDT_CHECKSUM_OFFSET, 0, covered);
  return bytes;
}

function repairRsdp(bytes: Uint8Array, random: SeededRandom): Uint8Array {
  // v1 first: its 20 bytes then sum to zero, and the extended checksum (at 32, outside them)
  // can be fixed afterwards without breaking it
  if (bytes.length >= RSDP_V1_LENGTH) fixChecksum(bytes, RSDP_CHECKSUM_OFFSET, 0, RSDP_V1_LENGTH);
  if (bytes.length >= RSDP_V2_MIN_LENGTH) {
    const view = new DataView(bytes.buffer);
    if (random.below(2) === 0) view.setUint32(RSDP_LENGTH_OFFSET, bytes.length, true);
    fixChecksum(bytes, RSDP_EXTENDED_CHECKSUM_OFFSET, 0, Math.min(view.getUint32(RSDP_LENGTH_OFFSET, true), bytes.length));
  }
  return bytes;
}

/** sets bytes[at] so that bytes[start..end) sums to 0 mod 256 (the checksum rule, reference/platform.md §5.2) */
export function fixChecksum(bytes: Uint8Array, at: number, start: number, end: number): void {
  if (at < start || at >= end || end > bytes.length) return;
  bytes[at] = 0;
  let sum = 0;
  for (let index = start; index < end; index++) sum = (sum + (bytes[index] as number)) & 0xff;
  bytes[at] = (0x100 - sum) & 0xff;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let index = 0; index < text.length; index++) if (bytes[index] !== text.charCodeAt(index)) return false;
  return true;
}
