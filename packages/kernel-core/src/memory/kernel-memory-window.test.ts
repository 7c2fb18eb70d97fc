import { describe, expect, it } from "vitest";
import { bootTestKernel } from "../testkit/boot-test-kernel.js";
import { KERNEL_MEMORY_WINDOW_BYTES, kernelMemoryWindow } from "./kernel-memory-window.js";
import { PhysicalMemory } from "./physical-memory.js";

describe("kernelMemoryWindow", () => {
  it("starts at the lowest usable RAM and spans KERNEL_MEMORY_WINDOW_BYTES", () => {
    const window = kernelMemoryWindow([
      { base: 0x1_0000_0000n, size: 0x4000_0000n },
      { base: 0x10_0000n, size: 0x7ff0_0000n },
    ]);
    expect(window?.base).toBe(0x10_0000n);
    expect(window?.buffer.byteLength).toBe(KERNEL_MEMORY_WINDOW_BYTES);
  });

  it("ends where the 52-bit physical address space ends", () => {
    const window = kernelMemoryWindow([{ base: (1n << 52n) - 0x3000n, size: 0x3000n }]);
    expect(window?.buffer.byteLength).toBe(0x3000);
    expect(() => new PhysicalMemory(window)).not.toThrow();
  });

  it("is undefined without RAM", () => {
    expect(kernelMemoryWindow([])).toBeUndefined();
    expect(kernelMemoryWindow([{ base: 0x1000n, size: 0n }])).toBeUndefined();
  });

  it("holds the frames a boot allocates for the kernel", async () => {
    const { kernel } = await bootTestKernel();
    const state = kernel.internals.state;
    expect(state).toBeDefined();
    if (state === undefined) return;
    const first = state.memory.windowFirstFrame;
    const extents = state.frames.allocatedExtents();
    expect(extents.length).toBeGreaterThan(0);
    for (const extent of extents) {
      expect(extent.start).toBeGreaterThanOrEqual(first);
      expect(extent.end).toBeLessThanOrEqual(first + state.memory.windowFrames);
    }
  });
});
