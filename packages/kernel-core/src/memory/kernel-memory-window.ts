import type { RamRegion } from "./frame-allocator.js";
import { PHYSICAL_ADDRESS_LIMIT, type SharedMemoryWindow } from "./physical-memory.js";

/**
 * Bytes of the kernel memory window: the kernel's own frames (page tables, the IOMMU's device
 * table, command buffer and event log, UTCBs) come first out of the lowest usable RAM
 * (FrameAllocator hands out the lowest free frame); a boot of the built-in default configuration
 * allocates 566 frames (2.2 MiB, the 2 MiB device table included). Frames beyond the window work
 * the same, through PhysicalMemory's chunks.
 */
export const KERNEL_MEMORY_WINDOW_BYTES = 0x100_0000;

/**
 * The window PhysicalMemory should keep the kernel's memory in: KERNEL_MEMORY_WINDOW_BYTES from
 * the base of the lowest usable RAM region, backed by one SharedArrayBuffer. Hardware walkers (the
 * page-table engine's direct walk, the AMD IOMMU's DMA walk) read a window through one flat view,
 * several times faster than through per-chunk views. The buffer is only reserved: the operating
 * system backs the pages that are written. Shorter when the 52-bit physical address space ends
 * sooner; undefined when there is no RAM.
 */
export function kernelMemoryWindow(ram: readonly RamRegion[]): SharedMemoryWindow | undefined {
  let lowest: bigint | undefined;
  for (const region of ram) if (region.size > 0n && (lowest === undefined || region.base < lowest)) lowest = region.base;
  if (lowest === undefined) return undefined;
  const base = lowest & ~0xfffn;
  const room = PHYSICAL_ADDRESS_LIMIT - base;
  const bytes = room < BigInt(KERNEL_MEMORY_WINDOW_BYTES) ? Number(room) : KERNEL_MEMORY_WINDOW_BYTES;
  return bytes > 0 ? { base, buffer: new SharedArrayBuffer(bytes) } : undefined;
}
