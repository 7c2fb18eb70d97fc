import type { RamRegion } from "../memory/frame-allocator.js";
import type { Platform } from "../platform/platform.js";

const PAGE = 0x1000n;

/**
 * The RAM the kernel may hand out as frames: every "ram" region shrunk to whole 4 KiB pages
 * (firmware maps such as the e820 low-memory entry 0x0..0x9fc00 are not page-aligned), minus the
 * "kernel" regions (the NOVA image, §8.2). Sorted by base.
 */
export function usableRam(platform: Platform): RamRegion[] {
  const reserved = platform.memory
    .filter((region) => region.kind === "kernel")
    .map((region) => ({ start: region.base & ~(PAGE - 1n), end: (region.base + region.size + PAGE - 1n) & ~(PAGE - 1n) }));
  const pieces: { start: bigint; end: bigint }[] = [];
  for (const region of platform.memory) {
    if (region.kind !== "ram") continue;
    let parts = [{ start: (region.base + PAGE - 1n) & ~(PAGE - 1n), end: (region.base + region.size) & ~(PAGE - 1n) }];
    for (const hole of reserved) {
      parts = parts.flatMap((part) => {
        if (hole.end <= part.start || hole.start >= part.end) return [part];
        return [
          { start: part.start, end: hole.start },
          { start: hole.end, end: part.end },
        ].filter((piece) => piece.end > piece.start);
      });
    }
    pieces.push(...parts.filter((part) => part.end > part.start));
  }
  return pieces.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)).map((piece) => ({ base: piece.start, size: piece.end - piece.start }));
}
