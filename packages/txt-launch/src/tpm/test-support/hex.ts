/** "80 01 00 0c" or "8001000c" → bytes (spaces and "|" ignored), for byte-level expectations. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/[\s|]/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${text}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** 00 01 02 … (length - 1) */
export function counting(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => index & 0xff);
}
