import type { FdtNode, FdtTree } from "../fdt/fdt-types.js";
import { cellsOf, findProperty } from "../fdt/fdt-values.js";
import { decodeGicInterrupts, type GicInterrupt } from "./interrupt-specifier.js";

/** `interrupts` of a node as GIC specifiers (empty when absent). */
export function interruptsOf(tree: FdtTree, node: FdtNode): GicInterrupt[] {
  const property = findProperty(node, "interrupts");
  if (property === undefined) return [];
  return decodeGicInterrupts(cellsOf(tree, node, property), { file: tree.source, field: `${node.path}.interrupts` });
}
