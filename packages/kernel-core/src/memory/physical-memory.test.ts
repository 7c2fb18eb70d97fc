import { describe, expect, it } from "vitest";
import { NovakitError } from "../errors/novakit-error.js";
import { PhysicalMemory } from "./physical-memory.js";

describe("PhysicalMemory", () => {
  it("reads untouched memory as zero without storing it", () => {
    const memory = new PhysicalMemory();
    expect(memory.read64(0x1234_5000n)).toBe(0n);
    expect(memory.readBytes(0xffff_f000n, 16)).toEqual(new Uint8Array(16));
    expect(memory.touchedFrames()).toBe(0);
  });

  it("stores 64-bit values little-endian, including the top bit", () => {
    const memory = new PhysicalMemory();
    memory.write64(0x2008n, 0x8000_0000_00ab_c063n);
    expect(memory.read64(0x2008n)).toBe(0x8000_0000_00ab_c063n);
    expect(Array.from(memory.readBytes(0x2008n, 8))).toEqual([0x63, 0xc0, 0xab, 0, 0, 0, 0, 0x80]);
    expect(memory.touchedFrames()).toBe(1);
  });

  it("handles values and byte ranges that straddle frames", () => {
    const memory = new PhysicalMemory();
    memory.write64(0x3ffcn, 0x1122_3344_5566_7788n);
    expect(memory.read64(0x3ffcn)).toBe(0x1122_3344_5566_7788n);
    expect(memory.read64(0x4000n)).toBe(0x1122_3344n);
    const bytes = Uint8Array.from({ length: 9000 }, (_, index) => index & 0xff);
    memory.writeBytes(0x10_0800n, bytes);
    expect(memory.readBytes(0x10_0800n, 9000)).toEqual(bytes);
    expect(memory.touchedFrames()).toBe(2 + 3);
  });

  it("addresses the top of the 2^52 space and rejects anything beyond", () => {
    const memory = new PhysicalMemory();
    const top = (1n << 52n) - 8n;
    memory.write64(top, 42n);
    expect(memory.read64(top)).toBe(42n);
    const error = (() => {
      try {
        memory.read64(1n << 52n);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-MEM-001");
    expect(() => memory.write64(-8n, 0n)).toThrow(/52-bit/);
    expect(() => memory.readBytes(0n, -1)).toThrow(NovakitError);
  });

  it("zeroes a frame in place, keeping word views valid", () => {
    const memory = new PhysicalMemory();
    const words = memory.frameWords(0x5000n);
    memory.write64(0x5010n, 7n);
    expect(words[2]).toBe(7n);
    memory.zeroFrame(0x5ff8n);
    expect(memory.read64(0x5010n)).toBe(0n);
    words[3] = 9n;
    expect(memory.read64(0x5018n)).toBe(9n);
    expect(words.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe("PhysicalMemory.visitFrames", () => {
  it("shows a range as readBytes reads it, without copies, unwritten frames as shared zeros", () => {
    const memory = new PhysicalMemory();
    // frames 0x3e-0x41 straddle two chunks; 0x3f is never written
    memory.write64(0x3e_008n, 0x1122n);
    memory.writeBytes(0x40_ff0n, new Uint8Array([1, 2, 3]));
    memory.write64(0x41_000n, 7n);
    const pieces: { offset: number; length: number; stored: boolean }[] = [];
    const seen = new Uint8Array(4 * 4096);
    memory.visitFrames(0x3e, 4, (bytes, offset, stored) => {
      pieces.push({ offset, length: bytes.length, stored });
      seen.set(bytes, offset);
    });
    expect(seen).toEqual(memory.readBytes(0x3e_000n, 4 * 4096));
    expect(pieces).toEqual([
      { offset: 0, length: 4096, stored: true },
      { offset: 4096, length: 4096, stored: false },
      // frames 0x40 and 0x41 lie in another chunk than 0x3e
      { offset: 8192, length: 8192, stored: true },
    ]);
    expect(memory.touchedFrames()).toBe(3);
    expect(() => memory.visitFrames(-1, 1, () => undefined)).toThrow(/52-bit/);
  });
});

describe("PhysicalMemory over a shared window", () => {
  it("lets two instances see each other's writes inside the window only", () => {
    const buffer = new SharedArrayBuffer(2 * 4096);
    const first = new PhysicalMemory({ base: 0x10_0000n, buffer });
    const second = new PhysicalMemory({ base: 0x10_0000n, buffer });
    first.write64(0x10_1ff8n, 0xdead_beefn);
    expect(second.read64(0x10_1ff8n)).toBe(0xdead_beefn);
    expect(second.readBytes(0x10_1ffcn, 4)).toEqual(new Uint8Array([0, 0, 0, 0]));
    first.write64(0x10_2000n, 5n);
    expect(second.read64(0x10_2000n)).toBe(0n);
    expect(() => new PhysicalMemory({ base: 0x10_0800n, buffer })).toThrow(/4 KiB/);
  });

  it("shows a walker the window's whole chunks through chunk views, and a chunk shared with private frames through none", () => {
    // frames 0x100..0x181: chunks 4 and 5 lie wholly in the window, chunk 6 only in part
    const buffer = new SharedArrayBuffer(0x82 * 4096);
    const writer = new PhysicalMemory({ base: 0x10_0000n, buffer });
    const walker = new PhysicalMemory({ base: 0x10_0000n, buffer });
    writer.write64(0x14_1008n, 0x1_0000_0002n);
    const halves = walker.chunkHalves(5);
    expect(halves).toBeDefined();
    // frame 0x141 is frame 1 of chunk 5; word 1 of it sits at halves 1024 + 2, 1024 + 3
    expect([halves?.[1024 + 2], halves?.[1024 + 3]]).toEqual([2, 1]);
    expect(walker.denseChunkHalves[4]).toBeDefined();
    walker.write64(0x18_3000n, 7n);
    expect(walker.chunkHalves(6)).toBeUndefined();
    expect(walker.denseChunkHalves[6]).toBeUndefined();
    expect(walker.read64(0x18_3000n)).toBe(7n);
  });
});

describe("PhysicalMemory's flat window view for walkers", () => {
  it("shows the window's frames through one view, word i of frame first + r at (r << 10) + 2i, low half first", () => {
    const memory = new PhysicalMemory({ base: 0x10_0000n, buffer: new SharedArrayBuffer(3 * 4096) });
    memory.write64(0x10_2010n, 0xaaaa_bbbb_0000_1111n);
    expect(memory.windowFirstFrame).toBe(0x100);
    expect(memory.windowFrames).toBe(3);
    expect(memory.walkableWindowFrames).toBe(3);
    expect(memory.windowHalves.length).toBe(3 * 1024);
    expect([memory.windowHalves[(2 << 10) + 4], memory.windowHalves[(2 << 10) + 5]]).toEqual([0x1111, 0xaaaa_bbbb | 0]);
  });

  it("has an empty view and no walkable frames without a window", () => {
    const memory = new PhysicalMemory();
    expect(memory.windowHalves.length).toBe(0);
    expect(memory.walkableWindowFrames).toBe(0);
  });
});
