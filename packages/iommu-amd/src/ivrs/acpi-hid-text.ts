/**
 * Renderings of the F0h entry's 8-byte HID/CID fields and its UID (amd-iommu.md §1.4 "F0h
 * details"): an ID is either 8 ASCII characters or an integer (EISA id) in the low bytes, which
 * ACPICA tells apart by whether the bytes are printable; a string UID is not NUL-terminated.
 */
export function acpiIdText(bytes: Uint8Array): string {
  if (bytes.length > 0 && bytes.every((byte) => byte >= 0x20 && byte <= 0x7e)) return latin1(bytes);
  return `0x${littleEndianValue(bytes).toString(16)}`;
}

/** UID: format 2 = string, 1 = integer (little-endian bytes), 0 = none. */
export function uidText(format: number, uid: Uint8Array): string {
  if (format === 2) return latin1(uid);
  if (uid.length === 0) return "";
  return `0x${littleEndianValue(uid).toString(16)}`;
}

export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

export function littleEndianValue(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}
