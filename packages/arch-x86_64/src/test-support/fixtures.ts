import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Paths and bytes of the package fixtures, for tests. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url));
}

export function qemuTable(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(`qemu-q35-amd-iommu/${name}.bin`)));
}

export const ACPIDUMP_FILES = {
  asrock970m: "acpidump/Desktop-ASRock-970M-970M-Pro3-75A2DB3F503A.acpidump.txt",
  gigabyteX570: "acpidump/Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744.acpidump.txt",
  thinkpadL14: "acpidump/Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69.acpidump.txt",
} as const;

/** Recompute the SDT checksum byte (offset 9) so that all `length` bytes sum to 0. */
export function fixChecksum(bytes: Uint8Array, checksumOffset = 9, length = bytes.length): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[checksumOffset] = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(length, copy.length); i++) sum = (sum + (copy[i] ?? 0)) & 0xff;
  copy[checksumOffset] = (0x100 - sum) & 0xff;
  return copy;
}

/** little-endian u32 write into a copy */
export function withU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

/** A synthetic SDT: header with signature, revision, then the body; length and checksum set. */
export function makeTable(signature: string, revision: number, body: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(36 + body.length);
  for (let i = 0; i < 4; i++) bytes[i] = signature.charCodeAt(i);
  new DataView(bytes.buffer).setUint32(4, bytes.length, true);
  bytes[8] = revision;
  const oem = "NOVAKT";
  for (let i = 0; i < 6; i++) bytes[10 + i] = oem.charCodeAt(i);
  bytes.set(body, 36);
  return fixChecksum(bytes);
}

/** Deterministic xorshift32 PRNG for mutation tests. */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Render tables in acpidump's text format (16 bytes a line, ASCII column). */
export function toAcpidumpText(tables: readonly { label: string; address: bigint; bytes: Uint8Array }[]): string {
  const lines: string[] = [];
  for (const table of tables) {
    lines.push(`${table.label} @ 0x${table.address.toString(16).padStart(16, "0")}`);
    for (let offset = 0; offset < table.bytes.length; offset += 16) {
      const chunk = Array.from(table.bytes.subarray(offset, offset + 16));
      const hexPart = chunk.map((byte) => byte.toString(16).toUpperCase().padStart(2, "0")).join(" ");
      const ascii = chunk.map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".")).join("");
      lines.push(`    ${offset.toString(16).toUpperCase().padStart(4, "0")}: ${hexPart.padEnd(47, " ")}  ${ascii}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
