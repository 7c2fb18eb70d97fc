import { SeededRandom } from "../seeded-random.js";

/** IEEE 802 "local experimental" EtherType 1 (88B5h): frames that belong to no real protocol. */
export const EXPERIMENTAL_ETHERTYPE = 0x88b5;
/** shortest Ethernet frame without FCS */
export const MIN_FRAME_BYTES = 60;
/** longest untagged Ethernet frame without FCS */
export const MAX_FRAME_BYTES = 1514;

/**
 * The wire a model NIC receives from: Ethernet frames addressed to the NIC, with a sequence
 * number and pseudo-random payload, from a PRNG seeded once from the kernel PRNG, so the same
 * seed gives the same traffic.
 */
export class PacketGenerator {
  private readonly random: SeededRandom;
  private sequence = 0;

  constructor(
    seed: number,
    private readonly destinationMac: Uint8Array,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** the next frame, at most `maxBytes` long (and at least the Ethernet minimum) */
  next(maxBytes: number): Uint8Array {
    const longest = Math.max(MIN_FRAME_BYTES, Math.min(MAX_FRAME_BYTES, maxBytes));
    const length = MIN_FRAME_BYTES + this.random.below(longest - MIN_FRAME_BYTES + 1);
    const frame = new Uint8Array(length);
    frame.set(this.destinationMac, 0);
    // source: a locally administered address of the simulated peer
    frame.set([0x02, 0x4e, 0x4b, 0x70, 0x65, 0x65], 6);
    frame[12] = EXPERIMENTAL_ETHERTYPE >>> 8;
    frame[13] = EXPERIMENTAL_ETHERTYPE & 0xff;
    const sequence = this.sequence++;
    new DataView(frame.buffer).setUint32(14, sequence >>> 0, false);
    for (let i = 18; i < length; i += 4) {
      const word = this.random.nextU32();
      for (let b = 0; b < 4 && i + b < length; b++) frame[i + b] = (word >>> (8 * b)) & 0xff;
    }
    return frame;
  }
}
