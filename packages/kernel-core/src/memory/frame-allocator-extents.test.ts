import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "./frame-allocator.js";

describe("FrameAllocator.allocatedExtents (the frames check --isolation calls the kernel's)", () => {
  it("is empty before anything is allocated and follows allocations, frees and reservations", () => {
    const allocator = new FrameAllocator([
      { base: 0x1000n, size: 0x3000n },
      { base: 0x10_0000n, size: 0x4000n },
    ]);
    expect(allocator.allocatedExtents()).toEqual([]);
    allocator.allocate(); // frame 1
    allocator.allocate(); // frame 2
    expect(allocator.allocatedExtents()).toEqual([{ start: 1, end: 3 }]);
    allocator.reserve(0x10_1000n, 0x2000n); // frames 0x101, 0x102
    expect(allocator.allocatedExtents()).toEqual([
      { start: 1, end: 3 },
      { start: 0x101, end: 0x103 },
    ]);
    allocator.free(0x1000n);
    expect(allocator.allocatedExtents()).toEqual([
      { start: 2, end: 3 },
      { start: 0x101, end: 0x103 },
    ]);
    // a whole region taken, then the next one's start
    allocator.allocate();
    allocator.allocate();
    allocator.allocate();
    expect(allocator.allocatedExtents()).toEqual([
      { start: 1, end: 4 },
      { start: 0x100, end: 0x103 },
    ]);
  });

  it("agrees with a frame-by-frame model under random allocate/free/reserve", () => {
    const RAM = [
      { base: 0x1000n, size: 0x8000n },
      { base: 0x20000n, size: 0x6000n },
    ];
    const ramFrames = [...Array.from({ length: 8 }, (_, i) => 1 + i), ...Array.from({ length: 6 }, (_, i) => 0x20 + i)];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 13 })), { maxLength: 40 }), (operations) => {
        const allocator = new FrameAllocator(RAM);
        const used = new Set<number>();
        for (const [kind, index] of operations) {
          const frame = ramFrames[index] as number;
          if (kind === 0) {
            const got = allocator.allocate();
            if (got !== undefined) used.add(Number(got >> 12n));
          } else if (kind === 1 && used.has(frame)) {
            allocator.free(BigInt(frame) << 12n);
            used.delete(frame);
          } else if (kind === 2) {
            allocator.reserve(BigInt(frame) << 12n, 0x1000n);
            used.add(frame);
          }
        }
        const fromExtents = allocator.allocatedExtents().flatMap((extent) => Array.from({ length: extent.end - extent.start }, (_, i) => extent.start + i));
        expect(fromExtents).toEqual([...used].sort((a, b) => a - b));
      }),
    );
  });
});
