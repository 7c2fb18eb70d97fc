import type { PciSegment } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtTree } from "../fdt/fdt-types.js";
import { allNodes, cellsOf, findProperty, isCompatible, regOf, u32Of, type RegRange } from "../fdt/fdt-values.js";

/** ECAM host bridges ("pci-host-ecam-generic"): ECAM base, bus-range, linux,pci-domain. */
export function discoverPciSegments(tree: FdtTree): PciSegment[] {
  const segments: PciSegment[] = [];
  for (const node of allNodes(tree)) {
    if (!isCompatible(tree, node, "pci-host-ecam-generic")) continue;
    const ecam = regOf(tree, node)[0] as RegRange;
    const busRange = findProperty(node, "bus-range");
    const buses = busRange === undefined ? [0, 255] : cellsOf(tree, node, busRange);
    if (buses.length !== 2 || (buses[0] as number) > (buses[1] as number) || (buses[1] as number) > 255) {
      throw a64Error(A64Diagnostic.BAD_VALUE, `bus-range [${buses.join(", ")}] is not two bus numbers start <= end <= 255`, { file: tree.source, field: `${node.path}.bus-range` });
    }
    const domain = findProperty(node, "linux,pci-domain");
    segments.push({
      segment: domain === undefined ? segments.length : u32Of(tree, node, domain),
      ecamBase: ecam.address,
      startBus: buses[0] as number,
      endBus: buses[1] as number,
    });
  }
  return segments;
}
