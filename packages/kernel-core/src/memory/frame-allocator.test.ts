import { describe, expect, it } from "vitest";
import { NovakitError } from "../errors/novakit-error.js";
import { FrameAllocator } from "./frame-allocator.js";

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NovakitError ? error.code : "not a NovakitError";
  }
  return undefined;
}

describe("FrameAllocator", () => {
  it("hands out the lowest free frame first, across regions given in any order", () => {
    const allocator = new FrameAllocator([
      { base: 0x10_0000n, size: 0x2000n },
      { base: 0x1000n, size: 0x1000n },
    ]);
    expect(allocator.freeCount()).toBe(3);
    expect(allocator.allocate()).toBe(0x1000n);
    expect(allocator.allocate()).toBe(0x10_0000n);
    expect(allocator.allocate()).toBe(0x10_1000n);
    expect(allocator.allocate()).toBeUndefined();
    expect(allocator.freeCount()).toBe(0);
  });

  it("reuses freed frames lowest first and coalesces them", () => {
    const allocator = new FrameAllocator([{ base: 0n, size: 0x10_000n }]);
    const frames = Array.from({ length: 16 }, () => allocator.allocate());
    expect(frames[15]).toBe(0xf000n);
    allocator.free(0x9000n);
    allocator.free(0x3000n);
    allocator.free(0x4000n);
    expect(allocator.freeCount()).toBe(3);
    expect(allocator.allocate()).toBe(0x3000n);
    expect(allocator.allocate()).toBe(0x4000n);
    expect(allocator.allocate()).toBe(0x9000n);
  });

  it("finds aligned contiguous runs", () => {
    const allocator = new FrameAllocator([{ base: 0x1000n, size: 0x40_0000n }]);
    expect(allocator.allocateContiguous(4, 4)).toBe(0x4000n);
    expect(allocator.allocate()).toBe(0x1000n);
    expect(allocator.allocateContiguous(512, 512)).toBe(0x20_0000n);
    expect(allocator.allocateContiguous(2000, 1)).toBeUndefined();
    expect(allocator.freeCount()).toBe(0x400 - 4 - 1 - 512);
    expect(codeOf(() => allocator.allocateContiguous(0, 1))).toBe("NK-MEM-006");
  });

  it("treats a double free and a foreign free as programming errors", () => {
    const allocator = new FrameAllocator([{ base: 0x1000n, size: 0x2000n }]);
    const frame = allocator.allocate() as bigint;
    allocator.free(frame);
    expect(codeOf(() => allocator.free(frame))).toBe("NK-MEM-005");
    expect(codeOf(() => allocator.free(0x2000n))).toBe("NK-MEM-005");
    expect(codeOf(() => allocator.free(0x8000n))).toBe("NK-MEM-004");
    expect(codeOf(() => allocator.free(0x1004n))).toBe("NK-MEM-004");
  });

  it("reserves ranges, ignoring parts outside RAM", () => {
    const allocator = new FrameAllocator([{ base: 0n, size: 0x10_000n }]);
    allocator.reserve(0n, 0x2000n);
    allocator.reserve(0x5000n, 0x2000n);
    allocator.reserve(0xf000n, 0x10_0000n);
    expect(allocator.freeCount()).toBe(16 - 2 - 2 - 1);
    expect(allocator.allocate()).toBe(0x2000n);
    expect(allocator.allocateContiguous(3, 1)).toBe(0x7000n);
    expect(codeOf(() => allocator.reserve(0x800n, 0x1000n))).toBe("NK-MEM-003");
  });

  it("rejects overlapping and misaligned regions", () => {
    expect(
      codeOf(
        () =>
          new FrameAllocator([
            { base: 0n, size: 0x3000n },
            { base: 0x2000n, size: 0x1000n },
          ]),
      ),
    ).toBe("NK-MEM-003");
    expect(codeOf(() => new FrameAllocator([{ base: 0x10n, size: 0x1000n }]))).toBe("NK-MEM-003");
  });

  it("manages a terabyte of RAM without a per-frame cost", () => {
    const allocator = new FrameAllocator([{ base: 0n, size: 1n << 40n }]);
    expect(allocator.freeCount()).toBe(2 ** 28);
    expect(allocator.allocate()).toBe(0n);
  });
});
