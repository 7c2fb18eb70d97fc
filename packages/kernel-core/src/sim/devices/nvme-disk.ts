/**
 * The NVMe model's backing store: a sparse in-memory disk of 512-byte logical blocks. A block
 * never written reads as a pattern derived from the disk's seed and the LBA (SplitMix32), so a
 * disk holds deterministic "existing data" without storing it.
 */
export const NVME_BLOCK_SIZE = 512;

export class NvmeDisk {
  private readonly written = new Map<bigint, Uint8Array>();

  constructor(
    readonly capacityBlocks: number,
    private readonly seed: number,
  ) {}

  read(lba: bigint, blocks: number): Uint8Array {
    const data = new Uint8Array(blocks * NVME_BLOCK_SIZE);
    for (let i = 0; i < blocks; i++) data.set(this.block(lba + BigInt(i)), i * NVME_BLOCK_SIZE);
    return data;
  }

  write(lba: bigint, data: Uint8Array): void {
    for (let i = 0; i * NVME_BLOCK_SIZE < data.length; i++) {
      this.written.set(lba + BigInt(i), data.slice(i * NVME_BLOCK_SIZE, (i + 1) * NVME_BLOCK_SIZE));
    }
  }

  private block(lba: bigint): Uint8Array {
    const stored = this.written.get(lba);
    if (stored) return stored;
    const block = new Uint8Array(NVME_BLOCK_SIZE);
    const view = new DataView(block.buffer);
    let x = (this.seed ^ Number(lba & 0xffffffffn) ^ Math.imul(Number((lba >> 32n) & 0xffffffffn), 0x27d4eb2d)) >>> 0;
    for (let offset = 0; offset < NVME_BLOCK_SIZE; offset += 4) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      view.setUint32(offset, (z ^ (z >>> 16)) >>> 0, true);
    }
    return block;
  }
}
