import type { KernelState } from "../../kernel-state/kernel-state.js";
import { MemorySpace } from "../../objects/memory-space.js";
import type { KernelMemoryRange } from "./device-environment.js";

const PAGE = 4096n;

/**
 * Kernel memory a DMA attacker aims at (its "kernel memory" targets), most specific first: the
 * root table of every live host, guest and DMA page table (whose corruption would hand a device
 * or a guest the whole machine), the NOVA image (the platform's "kernel" regions,
 * reference/nova.md §8.2), and every other frame the kernel allocated (page tables, UTCBs, the
 * IOMMU's device table, command queue and event log: FrameAllocator.allocatedExtents).
 */
export function kernelMemoryMap(state: KernelState): KernelMemoryRange[] {
  const ranges: KernelMemoryRange[] = [];
  for (const object of state.objects.all()) {
    if (object instanceof MemorySpace && !object.dying) {
      ranges.push({ label: `${object.kind} root table of PD ${object.pd.id}`, base: object.table.rootAddress, size: PAGE });
    }
  }
  for (const region of state.platform.memory) {
    if (region.kind === "kernel") ranges.push({ label: "NOVA image", base: region.base, size: region.size });
  }
  for (const extent of state.frames.allocatedExtents()) {
    ranges.push({ label: "kernel frames", base: BigInt(extent.start) * PAGE, size: BigInt(extent.end - extent.start) * PAGE });
  }
  return ranges;
}
