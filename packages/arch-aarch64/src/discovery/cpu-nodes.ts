import type { PlatformCpu } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtNode, FdtTree } from "../fdt/fdt-types.js";
import { cellsOf, childCellSizes, combineCells, findProperty, nodeBaseName, requireNode, requireProperty, stringListOf, stringOf } from "../fdt/fdt-values.js";

/** One /cpus/cpu@N node (reference/platform.md §2). */
export interface CpuNodeDescription {
  readonly path: string;
  /** MPIDR affinity: Aff2..Aff0 in bits 23:0, Aff3 in bits 39:32 */
  readonly mpidr: bigint;
  readonly compatible: readonly string[];
  readonly enableMethod: string;
  readonly enabled: boolean;
}

/** MPIDR_EL1 affinity fields a `reg` may hold: Aff3 (39:32) and Aff2..Aff0 (23:0). */
const MPIDR_AFFINITY_MASK = 0xff_00ff_ffffn;

export function discoverCpuNodes(tree: FdtTree): CpuNodeDescription[] {
  const cpus = requireNode(tree, "/cpus");
  const file = tree.source;
  const { addressCells } = childCellSizes(tree, cpus);
  if (addressCells !== 1 && addressCells !== 2) {
    throw a64Error(A64Diagnostic.BAD_VALUE, `/cpus #address-cells is ${addressCells}; CPU nodes use 1 or 2`, { file, field: "/cpus.#address-cells" });
  }
  const nodes = cpus.children.filter((child) => isCpuNode(tree, child));
  if (nodes.length === 0) throw a64Error(A64Diagnostic.INCOMPLETE_PLATFORM, "/cpus has no cpu@N node", { file, field: "/cpus" });
  return nodes.map((node) => {
    const cells = cellsOf(tree, node, requireProperty(tree, node, "reg"));
    if (cells.length !== addressCells) {
      throw a64Error(A64Diagnostic.BAD_VALUE, `reg has ${cells.length} cells; /cpus #address-cells is ${addressCells}`, { file, field: `${node.path}.reg` });
    }
    const mpidr = combineCells(cells);
    if ((mpidr & ~MPIDR_AFFINITY_MASK) !== 0n) {
      throw a64Error(A64Diagnostic.BAD_VALUE, `reg 0x${mpidr.toString(16)} sets MPIDR bits outside Aff3 (39:32) and Aff2..Aff0 (23:0)`, { file, field: `${node.path}.reg` });
    }
    const compatibleProperty = findProperty(node, "compatible");
    const methodProperty = findProperty(node, "enable-method");
    const statusProperty = findProperty(node, "status");
    const status = statusProperty === undefined ? "okay" : stringOf(tree, node, statusProperty);
    return {
      path: node.path,
      mpidr,
      compatible: compatibleProperty === undefined ? [] : stringListOf(tree, node, compatibleProperty),
      enableMethod: methodProperty === undefined ? "" : stringOf(tree, node, methodProperty),
      enabled: status === "okay" || status === "ok",
    };
  });
}

function isCpuNode(tree: FdtTree, node: FdtNode): boolean {
  const deviceType = findProperty(node, "device_type");
  return nodeBaseName(node) === "cpu" && deviceType !== undefined && stringOf(tree, node, deviceType) === "cpu";
}

/** Platform CPUs in tree order: index = NOVA CPU number, hardwareId = MPIDR affinity. */
export function platformCpusOf(nodes: readonly CpuNodeDescription[]): PlatformCpu[] {
  return nodes.map((node, index) => ({ index, hardwareId: Number(node.mpidr), enabled: node.enabled, source: `FDT ${node.path}` }));
}
