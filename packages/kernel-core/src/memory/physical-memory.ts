import { NovakitError } from "../errors/novakit-error.js";

/** 4 KiB frames: the unit in which memory is stored and page tables are allocated. */
export const FRAME_SIZE = 4096;
export const FRAME_SHIFT = 12n;
/** x86's architectural MAXPHYADDR is 52 bits (reference/paging.md §1); nothing here reaches beyond it. */
export const PHYSICAL_ADDRESS_LIMIT = 1n << 52n;

/**
 * Frames are carved out of SharedArrayBuffer slabs so that table entries can be handed to worker
 * threads and updated with Atomics (reference/nova.md §3.4) without changing this API. A slab of
 * 64 frames keeps the overhead of one SharedArrayBuffer per frame away while a tiny memory stays
 * tiny (only touched frames are backed).
 */
const FRAMES_PER_SLAB = 64;

/**
 * A contiguous range of physical memory backed by a caller-provided SharedArrayBuffer, so that
 * several PhysicalMemory instances (one per worker thread) see the same bytes: that is how
 * concurrent page-table updates are exercised across threads.
 */
export interface SharedMemoryWindow {
  /** physical address of the buffer's first byte (4 KiB aligned) */
  readonly base: bigint;
  /** its length is a multiple of 4 KiB */
  readonly buffer: SharedArrayBuffer;
}

interface Slab {
  readonly buffer: SharedArrayBuffer;
  used: number;
}

/**
 * Sparse physical memory: the whole 2^52 byte physical address space is addressable, only the
 * 4 KiB frames that were written are stored; untouched memory reads as zero. Multi-byte values
 * are little-endian, like every architecture Novakit models.
 */
export class PhysicalMemory {
  /** frame number -> the frame's bytes; BigInt64Array views are cached beside them */
  private readonly frames = new Map<number, Uint8Array>();
  private readonly wordViews = new Map<number, BigInt64Array>();
  /** Int32Array views of stored frames, made on first request by frameHalves() */
  private readonly halfViews = new Map<number, Int32Array>();
  private slab: Slab | undefined;
  private readonly windowFirstFrame: number;
  private readonly windowFrames: number;

  constructor(private readonly window?: SharedMemoryWindow) {
    if (window !== undefined) {
      if ((window.base & 0xfffn) !== 0n || window.buffer.byteLength % FRAME_SIZE !== 0) {
        throw new NovakitError("NK-MEM-014", "a shared memory window must be 4 KiB aligned and sized", { field: "window" });
      }
      checkRange(window.base, window.buffer.byteLength);
    }
    this.windowFirstFrame = window === undefined ? 0 : Number(window.base >> FRAME_SHIFT);
    this.windowFrames = window === undefined ? 0 : window.buffer.byteLength / FRAME_SIZE;
  }

  read64(address: bigint): bigint {
    checkRange(address, 8);
    if ((address & 7n) === 0n) {
      const frameNumber = Number(address >> FRAME_SHIFT);
      const words = this.wordViews.get(frameNumber) ?? this.windowWords(frameNumber);
      if (words === undefined) return 0n;
      return BigInt.asUintN(64, Atomics.load(words, Number(address & 0xfffn) >> 3));
    }
    const bytes = this.readBytes(address, 8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  }

  write64(address: bigint, value: bigint): void {
    checkRange(address, 8);
    if ((address & 7n) === 0n) {
      const words = this.frameWords(address);
      Atomics.store(words, Number(address & 0xfffn) >> 3, BigInt.asIntN(64, value));
      return;
    }
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.writeBytes(address, bytes);
  }

  readBytes(address: bigint, length: number): Uint8Array {
    checkLength(length);
    checkRange(address, length);
    const result = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = address + BigInt(done);
      const offset = Number(at & 0xfffn);
      const chunk = Math.min(FRAME_SIZE - offset, length - done);
      const frameNumber = Number(at >> FRAME_SHIFT);
      const frame = this.frames.get(frameNumber) ?? (this.inWindow(frameNumber) ? this.frameBytes(at) : undefined);
      if (frame !== undefined) result.set(frame.subarray(offset, offset + chunk), done);
      done += chunk;
    }
    return result;
  }

  writeBytes(address: bigint, bytes: Uint8Array): void {
    checkRange(address, bytes.length);
    let done = 0;
    while (done < bytes.length) {
      const at = address + BigInt(done);
      const offset = Number(at & 0xfffn);
      const chunk = Math.min(FRAME_SIZE - offset, bytes.length - done);
      this.frameBytes(at).set(bytes.subarray(done, done + chunk), offset);
      done += chunk;
    }
  }

  /** Zero the frame that contains `address` (a stored frame keeps its storage: views stay valid). */
  zeroFrame(address: bigint): void {
    checkRange(address, 1);
    const frameNumber = Number(address >> FRAME_SHIFT);
    (this.frames.get(frameNumber) ?? (this.inWindow(frameNumber) ? this.frameBytes(address) : undefined))?.fill(0);
  }

  /** number of frames that hold storage (written at least once; frames of a shared window once accessed) */
  touchedFrames(): number {
    return this.frames.size;
  }

  /**
   * The 512 64-bit words of the frame containing `address`, backed by shared memory, for
   * Atomics-based page-table updates. Creates (zero-filled) storage for an untouched frame.
   * Values are signed (BigInt64Array); use BigInt.asUintN(64, v) to read an entry.
   */
  frameWords(address: bigint): BigInt64Array {
    checkRange(address, 1);
    const frameNumber = Number(address >> FRAME_SHIFT);
    const cached = this.wordViews.get(frameNumber);
    if (cached !== undefined) return cached;
    this.frameBytes(address);
    return this.wordViews.get(frameNumber) as BigInt64Array;
  }

  /**
   * The 1024 32-bit halves of frame `frameNumber` (little-endian: element 2i is bits 31:0 of
   * word i), or undefined when the frame was never written (it reads as zero). For hardware
   * walkers that read entries without BigInt (the IOMMU's DMA walk); the view stays valid for
   * the life of this memory, so walkers may cache it. Never creates storage.
   */
  frameHalves(frameNumber: number): Int32Array | undefined {
    const cached = this.halfViews.get(frameNumber);
    if (cached !== undefined) return cached;
    const words = this.wordViews.get(frameNumber) ?? this.windowWords(frameNumber);
    if (words === undefined) return undefined;
    const halves = new Int32Array(words.buffer, words.byteOffset, FRAME_SIZE / 4);
    this.halfViews.set(frameNumber, halves);
    return halves;
  }

  private inWindow(frameNumber: number): boolean {
    return frameNumber >= this.windowFirstFrame && frameNumber < this.windowFirstFrame + this.windowFrames;
  }

  /** words of a window frame another thread may have written (storage exists even if untouched here) */
  private windowWords(frameNumber: number): BigInt64Array | undefined {
    if (!this.inWindow(frameNumber)) return undefined;
    this.frameBytes(BigInt(frameNumber) << FRAME_SHIFT);
    return this.wordViews.get(frameNumber);
  }

  private frameBytes(address: bigint): Uint8Array {
    const frameNumber = Number(address >> FRAME_SHIFT);
    const existing = this.frames.get(frameNumber);
    if (existing !== undefined) return existing;
    if (this.window !== undefined && this.inWindow(frameNumber)) {
      const byteOffset = (frameNumber - this.windowFirstFrame) * FRAME_SIZE;
      const windowBytes = new Uint8Array(this.window.buffer, byteOffset, FRAME_SIZE);
      this.frames.set(frameNumber, windowBytes);
      this.wordViews.set(frameNumber, new BigInt64Array(this.window.buffer, byteOffset, FRAME_SIZE / 8));
      return windowBytes;
    }
    let slab = this.slab;
    if (slab === undefined || slab.used === FRAMES_PER_SLAB) {
      slab = { buffer: new SharedArrayBuffer(FRAMES_PER_SLAB * FRAME_SIZE), used: 0 };
      this.slab = slab;
    }
    const byteOffset = slab.used * FRAME_SIZE;
    slab.used += 1;
    const bytes = new Uint8Array(slab.buffer, byteOffset, FRAME_SIZE);
    this.frames.set(frameNumber, bytes);
    this.wordViews.set(frameNumber, new BigInt64Array(slab.buffer, byteOffset, FRAME_SIZE / 8));
    return bytes;
  }
}

function checkRange(address: bigint, length: number): void {
  if (address < 0n || address + BigInt(length) > PHYSICAL_ADDRESS_LIMIT) {
    throw new NovakitError(
      "NK-MEM-001",
      `physical address 0x${address.toString(16)} (+${length} bytes) lies outside the 52-bit physical address space`,
      { field: "address" },
      "x86 and Arm physical addresses are at most 52 bits wide (MAXPHYADDR)",
    );
  }
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new NovakitError("NK-MEM-002", `byte count ${length} is not a non-negative integer`, { field: "length" });
  }
}
