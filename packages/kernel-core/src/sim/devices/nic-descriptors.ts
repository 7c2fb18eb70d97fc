/**
 * The NIC model's descriptors are the legacy descriptors of Intel's 8254x family (PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual, §3.2.3 "Receive Descriptor
 * Format" and §3.3.3 "Legacy Transmit Descriptor Format"), the layout QEMU's e1000 emulates.
 * 16 bytes each, little-endian.
 *
 * Receive: 0x00 buffer address (8), 0x08 length (2), 0x0A packet checksum (2), 0x0C status (1),
 *          0x0D errors (1), 0x0E special (2).
 * Transmit: 0x00 buffer address (8), 0x08 length (2), 0x0A CSO (1), 0x0B CMD (1), 0x0C STA (1,
 *          bits 3:0; 7:4 reserved), 0x0D CSS (1), 0x0E special (2).
 */
export const NIC_DESCRIPTOR_BYTES = 16;

/** RX status bits (§3.2.3.1) */
export const RxStatus = { DD: 0x01, EOP: 0x02 } as const;
/** RX error bits (§3.2.3.2): RXE = RX data error */
export const RxError = { RXE: 0x80 } as const;
/** TX CMD bits (§3.3.3.1): EOP end of packet, IFCS insert FCS, RS report status */
export const TxCommand = { EOP: 0x01, IFCS: 0x02, RS: 0x08 } as const;
/** TX STA bits (§3.3.3.2): DD descriptor done */
export const TxStatus = { DD: 0x01 } as const;

export interface RxDescriptor {
  readonly bufferAddress: bigint;
  readonly length: number;
  readonly checksum: number;
  readonly status: number;
  readonly errors: number;
  readonly special: number;
}

export interface TxDescriptor {
  readonly bufferAddress: bigint;
  readonly length: number;
  readonly cso: number;
  readonly command: number;
  readonly status: number;
  readonly css: number;
  readonly special: number;
}

export function encodeRxDescriptor(descriptor: RxDescriptor): Uint8Array {
  const bytes = new Uint8Array(NIC_DESCRIPTOR_BYTES);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0x00, BigInt.asUintN(64, descriptor.bufferAddress), true);
  view.setUint16(0x08, descriptor.length & 0xffff, true);
  view.setUint16(0x0a, descriptor.checksum & 0xffff, true);
  view.setUint8(0x0c, descriptor.status & 0xff);
  view.setUint8(0x0d, descriptor.errors & 0xff);
  view.setUint16(0x0e, descriptor.special & 0xffff, true);
  return bytes;
}

export function decodeRxDescriptor(bytes: Uint8Array): RxDescriptor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, NIC_DESCRIPTOR_BYTES);
  return {
    bufferAddress: view.getBigUint64(0x00, true),
    length: view.getUint16(0x08, true),
    checksum: view.getUint16(0x0a, true),
    status: view.getUint8(0x0c),
    errors: view.getUint8(0x0d),
    special: view.getUint16(0x0e, true),
  };
}

export function encodeTxDescriptor(descriptor: TxDescriptor): Uint8Array {
  const bytes = new Uint8Array(NIC_DESCRIPTOR_BYTES);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0x00, BigInt.asUintN(64, descriptor.bufferAddress), true);
  view.setUint16(0x08, descriptor.length & 0xffff, true);
  view.setUint8(0x0a, descriptor.cso & 0xff);
  view.setUint8(0x0b, descriptor.command & 0xff);
  view.setUint8(0x0c, descriptor.status & 0x0f);
  view.setUint8(0x0d, descriptor.css & 0xff);
  view.setUint16(0x0e, descriptor.special & 0xffff, true);
  return bytes;
}

export function decodeTxDescriptor(bytes: Uint8Array): TxDescriptor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, NIC_DESCRIPTOR_BYTES);
  return {
    bufferAddress: view.getBigUint64(0x00, true),
    length: view.getUint16(0x08, true),
    cso: view.getUint8(0x0a),
    command: view.getUint8(0x0b),
    status: view.getUint8(0x0c) & 0x0f,
    css: view.getUint8(0x0d),
    special: view.getUint16(0x0e, true),
  };
}

/**
 * The 16-bit one's complement sum the 8254x reports in the RX descriptor's packet checksum
 * (§3.2.3: computed over the packet from the start offset RXCSUM.PCSS). The model programs
 * PCSS = 14, the first byte after the Ethernet header.
 */
export function packetChecksum(packet: Uint8Array, start = 14): number {
  let sum = 0;
  for (let i = start; i < packet.length; i += 2) sum += (packet[i]! << 8) | (packet[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
