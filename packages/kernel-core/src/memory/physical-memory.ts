import { NovakitError } from "../errors/novakit-error.js";

/** 4 KiB frames: the unit in which memory is stored and page tables are allocated. */
export const FRAME_SIZE = 4096;
export const FRAME_SHIFT = 12n;
/** x86's architectural MAXPHYADDR is 52 bits (reference/paging.md §1); nothing here reaches beyond it. */
export const PHYSICAL_ADDRESS_LIMIT = 1n << 52n;
/** the same limit as a double (exact): addresses below it convert to doubles without loss */
const PHYSICAL_LIMIT_NUMBER = 2 ** 52;

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
/** 2^21 frames (8 GiB): (frame offset << 10) + 1023 stays below 2^31 */
const WALKABLE_WINDOW_FRAMES = 2 ** 21;
/** chunks below this number (the first 16 GiB) are found by array index, the rest through a Map */
const DENSE_CHUNKS = 1 << 16;

/**
 * A contiguous range of physical memory backed by one caller-provided SharedArrayBuffer. Several
 * PhysicalMemory instances (one per worker thread) given the same buffer see the same bytes: that
 * is how concurrent page-table updates are exercised across threads. The kernel also keeps its
 * own memory in one (kernelMemoryWindow): hardware walkers read a window through one flat view
 * (windowHalves), which is the fastest path a walk in JavaScript has.
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
  private zeros: Uint8Array | undefined;
  /** the window's first frame number (0 without a window) */
  readonly windowFirstFrame: number;
  /** frames in the window (0 without a window) */
  readonly windowFrames: number;
  /**
   * The whole window as 32-bit halves, for hardware walkers: frame windowFirstFrame + r's word i
   * at index (r << 10) + 2i, low half first. Empty without a window. A walker indexes it for frames
   * r < walkableWindowFrames, whose indices fit an int32, and takes chunkHalves() otherwise.
   */
  readonly windowHalves: Int32Array;
  /** min(windowFrames, 2^21): the window frames whose halves a walker can index in int32 arithmetic */
  readonly walkableWindowFrames: number;

  constructor(private readonly window?: SharedMemoryWindow) {
    if (window !== undefined) {
      if ((window.base & 0xfffn) !== 0n || window.buffer.byteLength % FRAME_SIZE !== 0) {
        throw new NovakitError("NK-MEM-014", "a shared memory window must be 4 KiB aligned and sized", { field: "window" });
      }
      checkRange(window.base, window.buffer.byteLength);
    }
    this.windowFirstFrame = window === undefined ? 0 : Number(window.base >> FRAME_SHIFT);
    this.windowFrames = window === undefined ? 0 : window.buffer.byteLength / FRAME_SIZE;
    this.walkableWindowFrames = Math.min(this.windowFrames, WALKABLE_WINDOW_FRAMES);
    this.windowHalves = window === undefined ? new Int32Array(0) : new Int32Array(window.buffer, 0, (this.walkableWindowFrames * FRAME_SIZE) / 4);
    if (window !== undefined) this.addWindowChunkViews(window.buffer);
  }

  /**
   * A window's whole chunks get their chunk views at once (they are views of the caller's buffer,
   * so nothing is allocated): a walker then reaches frames another thread wrote the same way as
   * any other frame. Chunks the window covers only in part get none (see chunkHalves).
   */
  private addWindowChunkViews(buffer: SharedArrayBuffer): void {
    const firstChunk = Math.ceil(this.windowFirstFrame / FRAMES_PER_CHUNK);
    const endChunk = Math.floor((this.windowFirstFrame + this.windowFrames) / FRAMES_PER_CHUNK);
    for (let chunk = firstChunk; chunk < endChunk && chunk < DENSE_CHUNKS; chunk++) {
      const byteOffset = (chunk * FRAMES_PER_CHUNK - this.windowFirstFrame) * FRAME_SIZE;
      this.setLowChunkView(chunk, new Int32Array(buffer, byteOffset, (FRAMES_PER_CHUNK * FRAME_SIZE) / 4));
    }
  }

  /** whether chunk `chunkNumber` holds frames of the shared window */
  private chunkOverlapsWindow(chunkNumber: number): boolean {
    const first = chunkNumber * FRAMES_PER_CHUNK;
    return this.windowFrames > 0 && first < this.windowFirstFrame + this.windowFrames && first + FRAMES_PER_CHUNK > this.windowFirstFrame;
  }

  read64(address: bigint): bigint {
    // an aligned address inside the 52-bit space, as an exact double: frame and word index
    // without BigInt arithmetic (the device models read and write words by the hundred thousand)
    const value = Number(address);
    if (value >= 0 && value <= PHYSICAL_LIMIT_NUMBER - 8 && (value & 7) === 0) {
      const frameNumber = Math.floor(value / FRAME_SIZE);
      const words = this.wordViews.get(frameNumber) ?? this.windowWords(frameNumber);
      if (words === undefined) return 0n;
      return BigInt.asUintN(64, Atomics.load(words, (value & 0xfff) >> 3));
    }
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
    const at = Number(address);
    if (at >= 0 && at <= PHYSICAL_LIMIT_NUMBER - 8 && (at & 7) === 0) {
      Atomics.store(this.storageWords(Math.floor(at / FRAME_SIZE)), (at & 0xfff) >> 3, BigInt.asIntN(64, value));
      return;
    }
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
    // below 2^52 (checkRange) an address is an exact double: the loop needs no BigInt arithmetic
    const start = Number(address);
    let done = 0;
    while (done < length) {
      const frameNumber = Math.floor((start + done) / FRAME_SIZE);
      const offset = start + done - frameNumber * FRAME_SIZE;
      const chunk = Math.min(FRAME_SIZE - offset, length - done);
      const frame = this.frames.get(frameNumber) ?? (this.inWindow(frameNumber) ? this.storage(frameNumber) : undefined);
      if (frame !== undefined) result.set(frame.subarray(offset, offset + chunk), done);
      done += chunk;
    }
    return result;
  }

  writeBytes(address: bigint, bytes: Uint8Array): void {
    checkRange(address, bytes.length);
    const start = Number(address);
    let done = 0;
    while (done < bytes.length) {
      const frameNumber = Math.floor((start + done) / FRAME_SIZE);
      const offset = start + done - frameNumber * FRAME_SIZE;
      const chunk = Math.min(FRAME_SIZE - offset, bytes.length - done);
      this.storage(frameNumber).set(bytes.subarray(done, done + chunk), offset);
      done += chunk;
    }
  }

  /**
   * Visit frames firstFrame .. firstFrame + frames - 1 in order as read-only views, without
   * copying them as readBytes does (hashing a domain's memory at boot read it twice, a copy each
   * time): written frames as views of their storage, consecutive ones of one buffer in one piece;
   * frames never written as views of a shared zero buffer, with `stored` false. `offset` is the
   * piece's byte offset from the first frame. The views are valid only during the call and must
   * not be written to.
   */
  visitFrames(firstFrame: number, frames: number, visit: (bytes: Uint8Array, offset: number, stored: boolean) => void): void {
    checkLength(frames * FRAME_SIZE);
    if (!Number.isSafeInteger(firstFrame) || firstFrame < 0) {
      throw new NovakitError("NK-MEM-001", `frame number ${firstFrame} lies outside the 52-bit physical address space`, { field: "firstFrame" });
    }
    checkRange(BigInt(firstFrame) << FRAME_SHIFT, frames * FRAME_SIZE);
    let pieceStart = 0;
    let pieceFrames = 0;
    let pieceBytes: Uint8Array | undefined;
    const flush = (): void => {
      if (pieceFrames === 0) return;
      const offset = pieceStart * FRAME_SIZE;
      if (pieceBytes === undefined) {
        const zeros = this.zeroPiece();
        for (let done = 0; done < pieceFrames; done += FRAMES_PER_CHUNK) {
          const count = Math.min(FRAMES_PER_CHUNK, pieceFrames - done);
          visit(zeros.subarray(0, count * FRAME_SIZE), offset + done * FRAME_SIZE, false);
        }
      } else {
        visit(new Uint8Array(pieceBytes.buffer, pieceBytes.byteOffset, pieceFrames * FRAME_SIZE), offset, true);
      }
      pieceFrames = 0;
    };
    for (let index = 0; index < frames; index++) {
      const frameNumber = firstFrame + index;
      const bytes = this.frames.get(frameNumber) ?? (this.inWindow(frameNumber) ? this.storage(frameNumber) : undefined);
      const continues =
        pieceFrames > 0 &&
        (bytes === undefined
          ? pieceBytes === undefined
          : pieceBytes !== undefined && bytes.buffer === pieceBytes.buffer && bytes.byteOffset === pieceBytes.byteOffset + pieceFrames * FRAME_SIZE);
      if (!continues) {
        flush();
        pieceStart = index;
        pieceBytes = bytes;
      }
      pieceFrames += 1;
    }
    flush();
  }

  /** one chunk's worth of zeros, made on first use and never written: what an unwritten frame reads as */
  private zeroPiece(): Uint8Array {
    if (this.zeros === undefined) this.zeros = new Uint8Array(FRAMES_PER_CHUNK * FRAME_SIZE);
    return this.zeros;
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
    const value = Number(address);
    if (value >= 0 && value < PHYSICAL_LIMIT_NUMBER) return this.storageWords(Math.floor(value / FRAME_SIZE));
    checkRange(address, 1);
    return this.storageWords(Number(address >> FRAME_SHIFT));
  }

  /** the words of frame `frameNumber`, storage created (zero-filled) on first use */
  private storageWords(frameNumber: number): BigInt64Array {
    const cached = this.wordViews.get(frameNumber);
    if (cached !== undefined) return cached;
    this.storage(frameNumber);
    return this.wordViews.get(frameNumber) as BigInt64Array;
  }

  /**
   * The 32-bit halves of chunk `chunkNumber` (frames chunkNumber * 64 .. + 63; frame f's word i
   * at index ((f & 63) << 10) + 2i, low half first), or undefined when no frame of it was written
   * or a shared window covers only part of the chunk (a walker reads those through read64). A
   * chunk wholly inside a shared window is a view of the window's buffer. For hardware walkers;
   * the view stays valid for the life of this memory. Never creates storage.
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
    // a chunk shared with the window has frames in two buffers: no one view shows them all
    if (buffer === undefined || this.chunkOverlapsWindow(chunkNumber)) return undefined;
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
    this.storage(frameNumber);
    return this.wordViews.get(frameNumber);
  }

  private frameBytes(address: bigint): Uint8Array {
    return this.storage(Number(address >> FRAME_SHIFT));
  }

  /** the bytes of frame `frameNumber`, storage created (zero-filled) on first use */
  private storage(frameNumber: number): Uint8Array {
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
      if (chunkNumber < DENSE_CHUNKS && !this.chunkOverlapsWindow(chunkNumber)) this.setLowChunkView(chunkNumber, new Int32Array(buffer));
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
