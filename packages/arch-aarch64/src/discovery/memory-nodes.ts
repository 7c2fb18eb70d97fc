import type { MemoryRegion } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtNode, FdtTree } from "../fdt/fdt-types.js";
import { allNodes, findProperty, nodeBaseName, regOf, stringOf } from "../fdt/fdt-values.js";

function isDeviceType(tree: FdtTree, node: FdtNode, type: string): boolean {
  const property = findProperty(node, "device_type");
  return property !== undefined && stringOf(tree, node, property) === type;
}

/** RAM from every memory node (device_type "memory"), reserved ranges from the reservation map. */
export function discoverMemory(tree: FdtTree): MemoryRegion[] {
  const regions: MemoryRegion[] = [];
  for (const node of allNodes(tree)) {
    if (nodeBaseName(node) !== "memory" || !isDeviceType(tree, node, "memory")) continue;
    for (const range of regOf(tree, node)) if (range.size > 0n) regions.push({ base: range.address, size: range.size, kind: "ram" });
  }
  if (regions.length === 0) throw a64Error(A64Diagnostic.INCOMPLETE_PLATFORM, "no memory node with device_type \"memory\"", { file: tree.source });
  for (const reservation of tree.reservations) regions.push({ base: reservation.address, size: reservation.size, kind: "reserved" });
  return regions.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
}
