import { createHash, type Hash } from "node:crypto";
import { NovakitError } from "../../errors/novakit-error.js";
import type { NicReceiveResult, NicRegisters, NicRing, NicTransmitResult } from "./device-api.js";
import { DeviceTiming } from "./device-timing.js";
import type { DmaEngine } from "./dma-engine.js";
import {
  decodeRxDescriptor,
  decodeTxDescriptor,
  encodeRxDescriptor,
  encodeTxDescriptor,
  NIC_DESCRIPTOR_BYTES,
  packetChecksum,
  RxError,
  RxStatus,
  TxCommand,
  TxStatus,
} from "./nic-descriptors.js";
import { PacketGenerator } from "./packet-generator.js";

/** RCTL.BSIZE 2048 (the reset value, 8254x §13.4.22) */
const DEFAULT_RX_BUFFER = 2048;
const MAX_RING_ENTRIES = 65536;

interface Ring {
  readonly base: bigint;
  readonly entries: number;
  readonly bufferSize: number;
  head: number;
  tail: number;
}

/**
 * A network controller (class 02h) with 8254x-style descriptor rings in the driver's memory
 * (nic-descriptors.ts). Head/tail semantics as the 8254x (§3.2.6, §3.3.1): the device owns the
 * descriptors from head up to (not including) tail; head == tail means none.
 *  - receive: per arriving frame, fetch the descriptor at RDH, write the frame into its buffer,
 *    write the descriptor back with length, checksum, status DD|EOP, advance RDH;
 *  - transmit: per descriptor from TDH to TDT, fetch it, read the frame bytes, put them on the
 *    wire (counted and hashed), write back STA.DD when CMD.RS asks for it, advance TDH.
 */
export class NicDevice {
  readonly kind = "nic" as const;
  readonly mac: Uint8Array;
  private rx: Ring | undefined;
  private tx: Ring | undefined;
  private readonly wire: PacketGenerator;
  private readonly transmitted: Hash = createHash("sha256");
  private transmittedFrames = 0;

  constructor(
    readonly engine: DmaEngine,
    seed: number,
  ) {
    const sbdf = engine.sbdf;
    // locally administered unicast (bit 1 of the first octet set, bit 0 clear), then the SBDF
    this.mac = new Uint8Array([0x02, 0x4e, 0x4b, (sbdf >>> 16) & 0xff, (sbdf >>> 8) & 0xff, sbdf & 0xff]);
    this.wire = new PacketGenerator(seed, this.mac);
  }

  get macText(): string {
    return [...this.mac].map((octet) => octet.toString(16).padStart(2, "0")).join(":");
  }

  configureReceive(ring: NicRing): void {
    this.rx = makeRing(ring, "receive");
  }

  configureTransmit(ring: NicRing): void {
    this.tx = makeRing(ring, "transmit");
  }

  setReceiveTail(tail: number): void {
    this.ring(this.rx, "receive").tail = checkIndex(tail, this.ring(this.rx, "receive").entries, "RDT");
  }

  setTransmitTail(tail: number): void {
    this.ring(this.tx, "transmit").tail = checkIndex(tail, this.ring(this.tx, "transmit").entries, "TDT");
  }

  registers(): NicRegisters {
    return { rxHead: this.rx?.head ?? 0, rxTail: this.rx?.tail ?? 0, txHead: this.tx?.head ?? 0, txTail: this.tx?.tail ?? 0 };
  }

  /** SHA-256 over every frame put on the wire so far, in order (determinism checks) */
  wireDigest(): string {
    return this.transmitted.copy().digest("hex");
  }

  get framesOnWire(): number {
    return this.transmittedFrames;
  }

  receive(maxPackets: number): NicReceiveResult {
    const ring = this.ring(this.rx, "receive");
    if (!Number.isSafeInteger(maxPackets) || maxPackets < 0) {
      throw new NovakitError("NK-DEV-023", `cannot receive ${maxPackets} packets`, { field: "maxPackets" });
    }
    let packets = 0;
    let bytes = 0;
    let missed = 0;
    let dmaErrors = 0;
    let costNs = 0;
    for (let i = 0; i < maxPackets; i++) {
      const frame = this.wire.next(ring.bufferSize);
      costNs += frame.length * DeviceTiming.NIC_WIRE_NS_PER_BYTE;
      if (ring.head === ring.tail) {
        missed++;
        continue;
      }
      const at = ring.base + BigInt(ring.head * NIC_DESCRIPTOR_BYTES);
      const fetched = this.engine.read(at, NIC_DESCRIPTOR_BYTES);
      costNs += fetched.costNs;
      if (fetched.aborted > 0) {
        // the device cannot know where the buffer is: the frame is lost and the ring stalls
        dmaErrors++;
        break;
      }
      const descriptor = decodeRxDescriptor(fetched.data!);
      const stored = this.engine.write(descriptor.bufferAddress, frame);
      costNs += stored.costNs;
      const failed = stored.aborted > 0;
      if (failed) dmaErrors++;
      const writeBack = this.engine.write(
        at,
        encodeRxDescriptor({
          bufferAddress: descriptor.bufferAddress,
          length: frame.length,
          checksum: packetChecksum(frame),
          status: RxStatus.DD | RxStatus.EOP,
          errors: failed ? RxError.RXE : 0,
          special: 0,
        }),
      );
      costNs += writeBack.costNs;
      ring.head = (ring.head + 1) % ring.entries;
      if (!failed) {
        packets++;
        bytes += frame.length;
      }
    }
    return { packets, bytes, missed, dmaErrors, costNs };
  }

  transmit(): NicTransmitResult {
    const ring = this.ring(this.tx, "transmit");
    let packets = 0;
    let bytes = 0;
    let dmaErrors = 0;
    let costNs = 0;
    while (ring.head !== ring.tail) {
      const at = ring.base + BigInt(ring.head * NIC_DESCRIPTOR_BYTES);
      const fetched = this.engine.read(at, NIC_DESCRIPTOR_BYTES);
      costNs += fetched.costNs;
      if (fetched.aborted > 0) {
        dmaErrors++;
        break;
      }
      const descriptor = decodeTxDescriptor(fetched.data!);
      const frame = this.engine.read(descriptor.bufferAddress, descriptor.length);
      costNs += frame.costNs + descriptor.length * DeviceTiming.NIC_WIRE_NS_PER_BYTE;
      if (frame.aborted > 0) {
        // a frame with a hole is not sent (the 8254x would abort the DMA and drop it)
        dmaErrors++;
      } else {
        this.transmitted.update(frame.data!);
        this.transmittedFrames++;
        packets++;
        bytes += descriptor.length;
      }
      if ((descriptor.command & TxCommand.RS) !== 0) {
        costNs += this.engine.write(at, encodeTxDescriptor({ ...descriptor, status: descriptor.status | TxStatus.DD })).costNs;
      }
      ring.head = (ring.head + 1) % ring.entries;
    }
    return { packets, bytes, dmaErrors, costNs };
  }

  private ring(ring: Ring | undefined, which: "receive" | "transmit"): Ring {
    if (!ring) {
      throw new NovakitError("NK-DEV-020", `the ${which} ring of NIC ${this.macText} is not configured`, { field: which }, `call configure${which === "receive" ? "Receive" : "Transmit"} first`);
    }
    return ring;
  }
}

function makeRing(ring: NicRing, which: string): Ring {
  if (!Number.isInteger(ring.entries) || ring.entries < 2 || ring.entries > MAX_RING_ENTRIES) {
    throw new NovakitError("NK-DEV-021", `a ${which} ring needs 2..${MAX_RING_ENTRIES} descriptors, got ${ring.entries}`, { field: `${which}.entries` });
  }
  // RDBA/TDBA: 16-byte aligned (8254x §13.4.26: the low 4 bits are ignored/zero)
  if ((ring.base & 0xfn) !== 0n || ring.base < 0n) {
    throw new NovakitError("NK-DEV-021", `a ${which} ring base must be 16-byte aligned, got 0x${ring.base.toString(16)}`, { field: `${which}.base` });
  }
  const bufferSize = ring.bufferSize ?? DEFAULT_RX_BUFFER;
  if (![256, 512, 1024, 2048, 4096, 8192, 16384].includes(bufferSize)) {
    throw new NovakitError("NK-DEV-021", `receive buffer size ${bufferSize} is not one RCTL.BSIZE can encode`, { field: `${which}.bufferSize` }, "256, 512, 1024, 2048, 4096, 8192 or 16384");
  }
  return { base: ring.base, entries: ring.entries, bufferSize, head: 0, tail: 0 };
}

function checkIndex(value: number, entries: number, register: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= entries) {
    throw new NovakitError("NK-DEV-022", `${register} = ${value} is outside the ring (0..${entries - 1})`, { field: register });
  }
  return value;
}
