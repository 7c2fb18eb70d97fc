import { NovakitError } from "../errors/novakit-error.js";

/** 4 KiB frames: the unit in which memory is stored and page tables are allocated. */
export const FRAME_SIZE = 4096;
export const FRAME_SHIFT = 12n;
/** x86's architectural MAXPHYADDR is 52 bits (reference/paging.md §1); nothing here reaches beyond it. */
export const PHYSICAL_ADDRESS_LIMIT = 1n << 52n;

/**
 * Frames live in SharedArrayBuffer chunks so that table entries can be handed to worker threads
 * and updated with Atomics (reference/nova.md §3.4) without changing this API. A chunk holds the
 * 64 frames of one 256 KiB-aligned range of physical addresses, at their offsets: a hardware
 * walker (chunkHalves) then reaches any frame of a chunk through one view, indexed by frame
 * number, instead of a view per frame. The operating system backs only the pages of a chunk that
 * are written, so sparse memory stays cheap.
 */
const FRAMES_PER_CHUNK = 64;
/** log2 of the frames per chunk: chunk number = frame number >>> PHYSICAL_CHUNK_SHIFT (see chunkHalves) */
export const PHYSICAL_CHUNK_SHIFT = 6;
/** chunks below this number (the first 16 GiB) are found by array index, the rest through a Map */
const DENSE_CHUNKS = 1 << 16;

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


/**
 * Sparse physical memory: the whole 2^52 byte physical address space is addressable, only the
 * 4 KiB frames that were written are stored; untouched memory reads as zero. Multi-byte values
 * are little-endian, like every architecture Novakit models.
 */
export class PhysicalMemory {
  /** frame number -> the frame's bytes; BigInt64Array views are cached beside them */
  private readonly frames = new Map<number, Uint8Array>();
  private readonly wordViews = new Map<number, BigInt64Array>();
  /** chunk number -> its buffer (frames outside a shared window) */
  private readonly chunks = new Map<number, SharedArrayBuffer>();
  /**
   * Int32Array views of whole chunks, made on first request by chunkHalves(): by index for the
   * chunks of the first 16 GiB (a dense array: a walker's step is one array read), in a Map above
   */
  private readonly lowChunkViews: (Int32Array | undefined)[] = [];
  private readonly chunkViews = new Map<number, Int32Array>();
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
   * The 32-bit halves of chunk `chunkNumber` (frames chunkNumber * 64 .. + 63; frame f's word i
   * at index ((f & 63) << 10) + 2i, low half first), or undefined when no frame of it was written
   * or the chunk lies in a shared window (a walker reads those through read64). For
   * hardware walkers; the view stays valid for the life of this memory. Never creates storage.
   */
  chunkHalves(chunkNumber: number): Int32Array | undefined {
    const low = chunkNumber < DENSE_CHUNKS;
    if (low && chunkNumber < this.lowChunkViews.length) {
      const cached = this.lowChunkViews[chunkNumber];
      if (cached !== undefined) return cached;
    } else if (!low) {
      const cached = this.chunkViews.get(chunkNumber);
      if (cached !== undefined) return cached;
    }
    const buffer = this.chunks.get(chunkNumber);
    if (buffer === undefined) return undefined;
    const halves = new Int32Array(buffer);
    if (low) this.setLowChunkView(chunkNumber, halves);
    else this.chunkViews.set(chunkNumber, halves);
    return halves;
  }

  /**
   * The views of the chunks of the first 16 GiB by chunk number (undefined where nothing was
   * written), for walkers whose step must be one array read: index it below its length, use
   * chunkHalves() for any other chunk. Live: it grows as memory is written; never mutate it.
   */
  get denseChunkHalves(): readonly (Int32Array | undefined)[] {
    return this.lowChunkViews;
  }

  private setLowChunkView(chunkNumber: number, halves: Int32Array): void {
    // grown with undefined, never with holes: the array stays a packed one V8 reads directly
    while (this.lowChunkViews.length <= chunkNumber) this.lowChunkViews.push(undefined);
    this.lowChunkViews[chunkNumber] = halves;
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
    const chunkNumber = Math.floor(frameNumber / FRAMES_PER_CHUNK);
    let buffer = this.chunks.get(chunkNumber);
    if (buffer === undefined) {
      buffer = new SharedArrayBuffer(FRAMES_PER_CHUNK * FRAME_SIZE);
      this.chunks.set(chunkNumber, buffer);
      if (chunkNumber < DENSE_CHUNKS) this.setLowChunkView(chunkNumber, new Int32Array(buffer));
    }
    const byteOffset = (frameNumber % FRAMES_PER_CHUNK) * FRAME_SIZE;
    const bytes = new Uint8Array(buffer, byteOffset, FRAME_SIZE);
    this.frames.set(frameNumber, bytes);
    this.wordViews.set(frameNumber, new BigInt64Array(buffer, byteOffset, FRAME_SIZE / 8));
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
