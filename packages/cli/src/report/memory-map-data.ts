import type { LeafBlock, MemorySpaceView, NovakitKernel } from "@novakit/kernel-core";
import type { MemoryMapSpace, MemoryRegion, PdMemoryMap } from "./report-model.js";

const PAGE_SHIFT = 12;

/**
 * The host, guest and DMA spaces of every domain (and of the root task), each as the regions its
 * page table maps: the present leaves the radix engine walks (TranslationTable.leaves over the
 * whole input range of the format, the same tables `inspect` summarises and dumps), merged where
 * they are input-contiguous with equal permissions.
 */
export function memoryMapsOf(kernel: NovakitKernel, pds: readonly { readonly pd: number; readonly name: string }[]): PdMemoryMap[] {
  const spaces = kernel.memorySpaces();
  return pds.map(({ pd, name }) => ({ pd, name, spaces: spaces.filter((space) => space.pdId === pd).map(mapOfSpace) }));
}

function mapOfSpace(space: MemorySpaceView): MemoryMapSpace {
  const inputBits = space.table.format.inputBits;
  const leaves = space.table.leaves(0n, inputBits - PAGE_SHIFT);
  const regions = mergeLeaves(leaves);
  return {
    spaceId: space.id,
    kind: space.kind,
    format: space.table.format.name,
    inputBits,
    regions,
    mappedBytes: regions.reduce((sum, region) => sum + (region.end - region.start), 0n),
  };
}

/** Leaves in input order → regions: a new region wherever the input jumps or the permissions change. */
export function mergeLeaves(leaves: readonly LeafBlock[]): MemoryRegion[] {
  const regions: MemoryRegion[] = [];
  let current: { start: bigint; end: bigint; outputStart: bigint; outputEnd: bigint; outputContiguous: boolean; permissions: number; leavesByOrder: Record<number, number> } | undefined;
  for (const leaf of [...leaves].sort((a, b) => (a.inputAddress < b.inputAddress ? -1 : a.inputAddress > b.inputAddress ? 1 : 0))) {
    const size = 1n << BigInt(leaf.order + PAGE_SHIFT);
    if (current !== undefined && current.end === leaf.inputAddress && current.permissions === leaf.permissions) {
      current.outputContiguous &&= current.outputEnd === leaf.outputAddress;
      current.end += size;
      current.outputEnd = leaf.outputAddress + size;
      current.leavesByOrder[leaf.order] = (current.leavesByOrder[leaf.order] ?? 0) + 1;
      continue;
    }
    if (current !== undefined) regions.push(freeze(current));
    current = {
      start: leaf.inputAddress,
      end: leaf.inputAddress + size,
      outputStart: leaf.outputAddress,
      outputEnd: leaf.outputAddress + size,
      outputContiguous: true,
      permissions: leaf.permissions,
      leavesByOrder: { [leaf.order]: 1 },
    };
  }
  if (current !== undefined) regions.push(freeze(current));
  return regions;
}

function freeze(region: { start: bigint; end: bigint; outputStart: bigint; outputContiguous: boolean; permissions: number; leavesByOrder: Record<number, number> }): MemoryRegion {
  return {
    start: region.start,
    end: region.end,
    outputStart: region.outputStart,
    outputContiguous: region.outputContiguous,
    permissions: region.permissions,
    leavesByOrder: { ...region.leavesByOrder },
  };
}
