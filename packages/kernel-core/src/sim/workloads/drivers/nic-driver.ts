import type { DomainMemoryView, NicHandle } from "../../devices/device-api.js";
import { CPU_COPY_NS_PER_BYTE } from "../../devices/device-timing.js";
import {
  decodeRxDescriptor,
  decodeTxDescriptor,
  encodeRxDescriptor,
  encodeTxDescriptor,
  NIC_DESCRIPTOR_BYTES,
  RxStatus,
  TxCommand,
  TxStatus,
} from "../../devices/nic-descriptors.js";
import { EXPERIMENTAL_ETHERTYPE } from "../../devices/packet-generator.js";
import type { UserlandApi } from "../../workload.js";
import type { BufferArena } from "./buffer-arena.js";

const BUFFER_BYTES = 2048;

export interface NicPumpOutcome {
  readonly received: number;
  readonly bytesReceived: number;
  readonly transmitted: number;
  readonly bytesTransmitted: number;
  /** frames not addressed to us, descriptors the device did not complete, DMA errors */
  readonly errors: number;
  readonly missed: number;
}

/**
 * The driver side of the model NIC (8254x rings, nic-descriptors.ts): every receive descriptor
 * holds a 2 KiB buffer; after the device filled some, the driver checks each frame (our MAC,
 * the experimental EtherType), echoes it back with the addresses swapped through the transmit
 * ring, re-arms the descriptor and moves RDT behind it (the 8254x convention: RDT = the last
 * descriptor handed back, so one descriptor always separates head and tail).
 */
export class NicDriver {
  private readonly rxRing: bigint;
  private readonly txRing: bigint;
  private readonly rxBuffers: bigint;
  private readonly txBuffers: bigint;
  private readonly mac: Uint8Array;
  private rxNext = 0;

  constructor(
    private readonly api: UserlandApi,
    private readonly nic: NicHandle,
    private readonly memory: DomainMemoryView,
    arena: BufferArena,
    private readonly entries: number,
  ) {
    this.rxRing = arena.take(entries * NIC_DESCRIPTOR_BYTES, 128);
    this.txRing = arena.take(entries * NIC_DESCRIPTOR_BYTES, 128);
    this.rxBuffers = arena.take(entries * BUFFER_BYTES);
    this.txBuffers = arena.take(entries * BUFFER_BYTES);
    this.mac = Uint8Array.from(nic.mac.split(":").map((octet) => parseInt(octet, 16)));
    for (let i = 0; i < entries; i++) this.arm(i);
    this.memory.write(this.txRing, new Uint8Array(entries * NIC_DESCRIPTOR_BYTES));
    nic.configureReceive({ base: this.rxRing, entries, bufferSize: BUFFER_BYTES });
    nic.configureTransmit({ base: this.txRing, entries });
    nic.setReceiveTail(entries - 1);
  }

  async pump(maxPackets: number): Promise<NicPumpOutcome> {
    const arrived = await this.nic.receive(maxPackets);
    let received = 0;
    let bytesReceived = 0;
    let errors = arrived.dmaErrors;
    const txStart = this.nic.registers().txTail;
    let txTail = txStart;
    const sent: number[] = [];
    for (;;) {
      const at = this.rxRing + BigInt(this.rxNext * NIC_DESCRIPTOR_BYTES);
      const descriptor = decodeRxDescriptor(this.memory.read(at, NIC_DESCRIPTOR_BYTES));
      if ((descriptor.status & RxStatus.DD) === 0) break;
      const frame = this.memory.read(descriptor.bufferAddress, descriptor.length);
      const forUs = frame.length >= 14 && this.mac.every((octet, i) => frame[i] === octet) && ((frame[12]! << 8) | frame[13]!) === EXPERIMENTAL_ETHERTYPE;
      if (!forUs || descriptor.errors !== 0 || (descriptor.status & RxStatus.EOP) === 0) {
        errors++;
      } else {
        received++;
        bytesReceived += frame.length;
        // echo it, unless the transmit ring is full ((TDT + 1) mod n == TDH)
        if ((txTail + 1) % this.entries !== this.nic.registers().txHead) {
          const echo = frame.slice();
          echo.set(frame.subarray(6, 12), 0);
          echo.set(this.mac, 6);
          const buffer = this.txBuffers + BigInt(txTail * BUFFER_BYTES);
          this.memory.write(buffer, echo);
          this.memory.write(
            this.txRing + BigInt(txTail * NIC_DESCRIPTOR_BYTES),
            encodeTxDescriptor({ bufferAddress: buffer, length: echo.length, cso: 0, command: TxCommand.EOP | TxCommand.IFCS | TxCommand.RS, status: 0, css: 0, special: 0 }),
          );
          sent.push(txTail);
          txTail = (txTail + 1) % this.entries;
        }
      }
      this.arm(this.rxNext);
      this.nic.setReceiveTail(this.rxNext);
      this.rxNext = (this.rxNext + 1) % this.entries;
    }
    await this.api.compute(bytesReceived * 2 * CPU_COPY_NS_PER_BYTE);
    let transmitted = 0;
    let bytesTransmitted = 0;
    if (sent.length > 0) {
      this.nic.setTransmitTail(txTail);
      const result = await this.nic.transmit();
      transmitted = result.packets;
      bytesTransmitted = result.bytes;
      errors += result.dmaErrors;
      // RS asked the device to report: every descriptor sent must now say DD
      for (const index of sent) {
        const written = decodeTxDescriptor(this.memory.read(this.txRing + BigInt(index * NIC_DESCRIPTOR_BYTES), NIC_DESCRIPTOR_BYTES));
        if ((written.status & TxStatus.DD) === 0) errors++;
      }
    }
    return { received, bytesReceived, transmitted, bytesTransmitted, errors, missed: arrived.missed };
  }

  private arm(index: number): void {
    this.memory.write(
      this.rxRing + BigInt(index * NIC_DESCRIPTOR_BYTES),
      encodeRxDescriptor({ bufferAddress: this.rxBuffers + BigInt(index * BUFFER_BYTES), length: 0, checksum: 0, status: 0, errors: 0, special: 0 }),
    );
  }
}
