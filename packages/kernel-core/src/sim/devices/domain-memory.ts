import { createHash } from "node:crypto";
import { NovakitError } from "../../errors/novakit-error.js";
import type { PhysicalMemory } from "../../memory/physical-memory.js";
import type { DomainMemoryView, PhysicalMemoryRange } from "./device-api.js";

const PAGE = 4096;
const PAGE_SHIFT = 12n;

/** One delegated block: 2^order pages at host frame `hostPage`, seen by the domain at `domainPage`. */
export interface DomainMemoryBlock {
  readonly hostPage: bigint;
  readonly domainPage: bigint;
  readonly order: number;
}

interface Block extends DomainMemoryBlock {
  readonly pages: number;
  /** index of the block's first frame in delegation order */
  readonly firstIndex: number;
}

/** The three hashes a domain reports, and how many frames someone else changed. */
export interface DomainMemoryDigest {
  readonly atStart: string;
  readonly now: string;
  /** the memory as the domain alone would have left it: its start plus its own writes */
  readonly expected: string;
  /** frames whose bytes differ from `expected`: written by someone other than the domain */
  readonly framesChangedByOthers: number;
}

/**
 * A domain's memory: the frames the root task delegated, in delegation order, with a ledger
 * that lets the run prove "tenant A's memory was not changed by anyone else".
 *
 * Design (why not just hash at start and end): a tenant's own workload writes its memory all the
 * time (buffers, rings, accelerator output), so its hash changes legitimately. The ledger keeps
 * a sparse shadow copy: a snapshot of the frames at start (only non-zero frames are stored) plus
 * every write the domain itself makes, by its CPU (`view().write`) or by its own devices' DMA
 * that lands in its own frames (`recordOwnWrite`). At the end, `expected` hashes the shadow and
 * `now` hashes the real memory: they are equal exactly when nobody else wrote the domain's
 * memory. A foreign write (another tenant's device without an IOMMU, say) makes them differ, and
 * `framesChangedByOthers` says how many frames it touched. The shadow costs only the frames the
 * domain itself writes.
 */
export class DomainMemory {
  readonly base: bigint;
  readonly size: bigint;
  private readonly blocks: readonly Block[];
  /** blocks sorted by host page, for physical -> frame index */
  private readonly byHost: readonly Block[];
  /** frame index -> bytes the domain itself last left there (absent: zero) */
  private readonly shadow = new Map<number, Uint8Array>();
  private startHash: string | undefined;
  /** what a frame the domain never wrote holds in the shadow (read-only) */
  private readonly zeroFrame = new Uint8Array(PAGE);

  constructor(
    readonly name: string,
    blocks: readonly DomainMemoryBlock[],
    private readonly memory: PhysicalMemory,
  ) {
    let index = 0;
    this.blocks = blocks.map((block) => {
      const pages = 2 ** block.order;
      const entry = { ...block, pages, firstIndex: index };
      index += pages;
      return entry;
    });
    this.byHost = [...this.blocks].sort((a, b) => (a.hostPage < b.hostPage ? -1 : 1));
    const first = this.blocks[0];
    this.base = first ? first.domainPage << PAGE_SHIFT : 0n;
    this.size = BigInt(index) * BigInt(PAGE);
    // the root task delegates one contiguous domain range; the view relies on it
    for (const block of this.blocks) {
      if (block.domainPage !== (this.base >> PAGE_SHIFT) + BigInt(block.firstIndex)) {
        throw new NovakitError("NK-DEV-040", `the memory of domain "${name}" is not one contiguous range`, { field: "memory" });
      }
    }
  }

  /** host-physical ranges in delegation order */
  hostRanges(): PhysicalMemoryRange[] {
    return this.blocks.map((block) => ({ base: block.hostPage << PAGE_SHIFT, size: BigInt(block.pages) << PAGE_SHIFT }));
  }

  /** true when [physical, physical + length) lies entirely in this domain's frames */
  owns(physical: bigint, length: number): boolean {
    const index = this.frameIndexOf(physical);
    if (index === undefined) return false;
    const last = this.frameIndexOf(physical + BigInt(Math.max(0, length - 1)));
    return last !== undefined;
  }

  /** Snapshot and hash the memory as it is now: the start of the run. */
  snapshotStart(): string {
    const hash = createHash("sha256");
    this.shadow.clear();
    // a block at a time (up to 2 MiB): one read and one hash update instead of one per frame
    this.forEachBlockPiece((block, bytes, firstPage, stored) => {
      hash.update(bytes);
      if (!stored) return;
      for (let page = 0; page < bytes.length / PAGE; page++) {
        const frame = bytes.subarray(page * PAGE, (page + 1) * PAGE);
        if (!isZero(frame)) this.shadow.set(block.firstIndex + firstPage + page, frame.slice());
      }
    });
    this.startHash = hash.digest("hex");
    return this.startHash;
  }

  /** A write by the domain itself (its CPU, or its own device) at a host-physical address. */
  recordOwnWrite(physical: bigint, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const at = physical + BigInt(done);
      const offset = Number(at & BigInt(PAGE - 1));
      const chunk = Math.min(PAGE - offset, bytes.length - done);
      const index = this.frameIndexOf(at);
      if (index !== undefined) {
        let frame = this.shadow.get(index);
        if (!frame) {
          frame = new Uint8Array(PAGE);
          this.shadow.set(index, frame);
        }
        frame.set(bytes.subarray(done, done + chunk), offset);
      }
      done += chunk;
    }
  }

  digest(): DomainMemoryDigest {
    const now = createHash("sha256");
    let changed = 0;
    this.forEachBlockPiece((block, bytes, firstPage, stored) => {
      now.update(bytes);
      for (let page = 0; page < bytes.length / PAGE; page++) {
        const expected = this.shadow.get(block.firstIndex + firstPage + page);
        // a frame never written against a shadow that holds nothing: zeros on both sides
        if (!stored && expected === undefined) continue;
        const actual = bytes.subarray(page * PAGE, (page + 1) * PAGE);
        if (!equalBytes(actual, expected ?? this.zeroFrame)) changed++;
      }
    });
    const nowHex = now.digest("hex");
    // equal frames everywhere: the expected memory is the real one, no second pass needed
    if (changed === 0) return { atStart: this.startHash ?? "", now: nowHex, expected: nowHex, framesChangedByOthers: 0 };
    const expected = createHash("sha256");
    for (const block of this.blocks) {
      for (let page = 0; page < block.pages; page++) expected.update(this.shadow.get(block.firstIndex + page) ?? this.zeroFrame);
    }
    return { atStart: this.startHash ?? "", now: nowHex, expected: expected.digest("hex"), framesChangedByOthers: changed };
  }

  /** the domain's CPU view of its memory (what a driver in the domain can load and store) */
  view(): DomainMemoryView {
    return {
      base: this.base,
      size: this.size,
      read: (address, length) => {
        this.checkAccess(address, length);
        const out = new Uint8Array(length);
        this.forEachPiece(address, length, (physical, offset, chunk) => out.set(this.memory.readBytes(physical, chunk), offset));
        return out;
      },
      write: (address, bytes) => {
        this.checkAccess(address, bytes.length);
        this.forEachPiece(address, bytes.length, (physical, offset, chunk) => {
          const piece = bytes.subarray(offset, offset + chunk);
          this.memory.writeBytes(physical, piece);
          this.recordOwnWrite(physical, piece);
        });
      },
    };
  }

  /** host-physical address of domain address `address` */
  toPhysical(address: bigint): bigint {
    const index = Number((address - this.base) >> PAGE_SHIFT);
    const block = this.blockOfIndex(index);
    return ((block.hostPage + BigInt(index - block.firstIndex)) << PAGE_SHIFT) | (address & BigInt(PAGE - 1));
  }

  private checkAccess(address: bigint, length: number): void {
    if (!Number.isSafeInteger(length) || length < 0 || address < this.base || address + BigInt(length) > this.base + this.size) {
      throw new NovakitError(
        "NK-DEV-041",
        `domain "${this.name}" accessed [0x${address.toString(16)}, +${length}) outside its memory [0x${this.base.toString(16)}, 0x${(this.base + this.size).toString(16)})`,
        { field: "address" },
        "place buffers inside api.domainMemory()",
      );
    }
  }

  private forEachPiece(address: bigint, length: number, visit: (physical: bigint, offset: number, chunk: number) => void): void {
    let done = 0;
    while (done < length) {
      const at = address + BigInt(done);
      const chunk = Math.min(PAGE - Number(at & BigInt(PAGE - 1)), length - done);
      visit(this.toPhysical(at), done, chunk);
      done += chunk;
    }
  }

  /**
   * The bytes of each delegated block, in delegation order, as read-only views of whole frames
   * (PhysicalMemory.visitFrames: no copy of the domain's memory): `firstPage` is the piece's first
   * page inside the block, `stored` false for frames never written (all zero).
   */
  private forEachBlockPiece(visit: (block: Block, bytes: Uint8Array, firstPage: number, stored: boolean) => void): void {
    for (const block of this.blocks) {
      this.memory.visitFrames(Number(block.hostPage), block.pages, (bytes, offset, stored) => visit(block, bytes, offset / PAGE, stored));
    }
  }

  private blockOfIndex(index: number): Block {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.blocks[middle]!.firstIndex <= index) low = middle;
      else high = middle - 1;
    }
    return this.blocks[low]!;
  }

  private frameIndexOf(physical: bigint): number | undefined {
    const page = physical >> PAGE_SHIFT;
    let low = 0;
    let high = this.byHost.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const block = this.byHost[middle]!;
      if (page < block.hostPage) high = middle - 1;
      else if (page >= block.hostPage + BigInt(block.pages)) low = middle + 1;
      else return block.firstIndex + Number(page - block.hostPage);
    }
    return undefined;
  }
}

function isZero(bytes: Uint8Array): boolean {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}
