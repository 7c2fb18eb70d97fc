import type { FdtNode, FdtTree } from "../fdt/fdt-types.js";
import { allNodes, cellsOf, findProperty, isCompatible, regOf, stringListOf, u32Of, type RegRange } from "../fdt/fdt-values.js";
import type { GicInterrupt } from "./interrupt-specifier.js";
import { interruptsOf } from "./node-interrupts.js";

/** A PL011 UART (platform.md §2): reg, interrupt, the "uartclk" clock's frequency. */
export interface UartDescription {
  readonly path: string;
  readonly base: bigint;
  readonly size: bigint;
  readonly interrupt?: GicInterrupt;
  readonly clockHz?: number;
}

export function discoverUarts(tree: FdtTree): UartDescription[] {
  return allNodes(tree)
    .filter((node) => isCompatible(tree, node, "arm,pl011"))
    .map((node) => {
      const range = regOf(tree, node)[0] as RegRange;
      const interrupt = interruptsOf(tree, node)[0];
      const clockHz = uartClockOf(tree, node);
      return {
        path: node.path,
        base: range.address,
        size: range.size,
        ...(interrupt !== undefined ? { interrupt } : {}),
        ...(clockHz !== undefined ? { clockHz } : {}),
      };
    });
}

/** The frequency of the clock named "uartclk" (first clock when unnamed), for fixed clocks. */
function uartClockOf(tree: FdtTree, node: FdtNode): number | undefined {
  const clocks = findProperty(node, "clocks");
  if (clocks === undefined) return undefined;
  const names = findProperty(node, "clock-names");
  const index = names === undefined ? 0 : Math.max(0, stringListOf(tree, node, names).indexOf("uartclk"));
  const phandles = cellsOf(tree, node, clocks);
  const clock = tree.nodesByPhandle.get(phandles[index] ?? 0);
  const frequency = clock === undefined ? undefined : findProperty(clock, "clock-frequency");
  return frequency === undefined || clock === undefined ? undefined : u32Of(tree, clock, frequency);
}
