import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtNode, FdtTree } from "../fdt/fdt-types.js";
import { allNodes, cellsOf, findProperty, isCompatible, regOf, u32Of, type RegRange } from "../fdt/fdt-values.js";
import { decodeGicInterrupts, type GicInterrupt } from "./interrupt-specifier.js";

/** reference/platform.md §2.1: GICv2 compatibles ("arm,gic.yaml") */
export const GICV2_COMPATIBLES: readonly string[] = Object.freeze([
  "arm,cortex-a15-gic",
  "arm,gic-400",
  "arm,cortex-a9-gic",
  "arm,cortex-a7-gic",
  "arm,cortex-a5-gic",
  "arm,pl390",
  "arm,arm11mp-gic",
  "arm,eb11mp-gic",
  "arm,tc11mp-gic",
]);
export const GICV3_COMPATIBLE = "arm,gic-v3";
export const GICV3_ITS_COMPATIBLE = "arm,gic-v3-its";
export const GICV2M_COMPATIBLE = "arm,gic-v2m-frame";
/** platform.md §4: one GICv3 redistributor = RD_base 64 KiB + SGI_base 64 KiB */
export const GICV3_REDISTRIBUTOR_SIZE = 0x2_0000n;

export interface GicFrame extends RegRange {
  /** node path it came from */
  readonly path: string;
}

interface GicCommon {
  readonly path: string;
  readonly compatible: string;
  readonly phandle?: number;
  readonly distributor: RegRange;
  /** GICv2 GICC (MMIO); on GICv3 the optional legacy MMIO interface */
  readonly cpuInterface?: RegRange;
  /** GICH: virtual interface control (virtualization extensions) */
  readonly virtualInterfaceControl?: RegRange;
  /** GICV: virtual CPU interface */
  readonly virtualCpuInterface?: RegRange;
  /** the VGIC maintenance interrupt; QEMU describes it only with virtualization=on (platform.md §7.2) */
  readonly maintenanceInterrupt?: GicInterrupt;
  readonly interruptCells: number;
}

export interface Gicv2Description extends GicCommon {
  readonly version: 2;
  /** GICv2m MSI frames (child nodes "arm,gic-v2m-frame") */
  readonly msiFrames: readonly GicFrame[];
}

export interface Gicv3Description extends GicCommon {
  readonly version: 3;
  readonly redistributorRegions: readonly RegRange[];
  /** `redistributor-stride` when present (padding between redistributors) */
  readonly redistributorStride?: bigint;
  /** redistributors the regions hold at 128 KiB each (or at the stride) */
  readonly redistributorCount: number;
  readonly its: readonly GicFrame[];
}

export type GicDescription = Gicv2Description | Gicv3Description;

function interruptControllers(tree: FdtTree): FdtNode[] {
  return allNodes(tree).filter((node) => findProperty(node, "interrupt-controller") !== undefined && isGic(tree, node));
}

function isGic(tree: FdtTree, node: FdtNode): boolean {
  return isCompatible(tree, node, GICV3_COMPATIBLE) || GICV2_COMPATIBLES.some((compatible) => isCompatible(tree, node, compatible));
}

/**
 * The GIC node (platform.md §2.1, §4): GICv3 reg = GICD, #redistributor-regions GICR ranges,
 * then optional GICC, GICH, GICV; GICv2 reg = GICD, GICC, then GICH, GICV with the
 * virtualization extensions; `interrupts` = maintenance interrupt; ITS / v2m frames as children.
 */
export function discoverGic(tree: FdtTree): GicDescription {
  const nodes = interruptControllers(tree);
  const file = tree.source;
  if (nodes.length === 0) {
    throw a64Error(A64Diagnostic.UNSUPPORTED_GIC, "no GICv2 or GICv3 interrupt-controller node in the tree", { file }, `GICv3 nodes are "${GICV3_COMPATIBLE}", GICv2 nodes one of ${GICV2_COMPATIBLES.join(", ")}`);
  }
  if (nodes.length > 1) {
    throw a64Error(A64Diagnostic.UNSUPPORTED_GIC, `more than one GIC node (${nodes.map((node) => node.path).join(", ")}); NOVA drives one`, { file });
  }
  const node = nodes[0] as FdtNode;
  const ranges = regOf(tree, node);
  const cellsProperty = findProperty(node, "#interrupt-cells");
  const interruptCells = cellsProperty === undefined ? 3 : u32Of(tree, node, cellsProperty);
  const interruptsProperty = findProperty(node, "interrupts");
  const maintenance = interruptsProperty === undefined ? undefined : decodeGicInterrupts(cellsOf(tree, node, interruptsProperty), { file, field: `${node.path}.interrupts` })[0];
  const phandleProperty = findProperty(node, "phandle");
  const common = {
    path: node.path,
    interruptCells,
    ...(phandleProperty !== undefined ? { phandle: u32Of(tree, node, phandleProperty) } : {}),
    ...(maintenance !== undefined ? { maintenanceInterrupt: maintenance } : {}),
  };
  const at = (index: number): RegRange | undefined => ranges[index];
  const optional = <K extends string>(key: K, range: RegRange | undefined): Partial<Record<K, RegRange>> =>
    (range === undefined ? {} : { [key]: range }) as Partial<Record<K, RegRange>>;

  if (isCompatible(tree, node, GICV3_COMPATIBLE)) {
    const regionsProperty = findProperty(node, "#redistributor-regions");
    const regionCount = regionsProperty === undefined ? 1 : u32Of(tree, node, regionsProperty);
    if (regionCount < 1 || ranges.length < 1 + regionCount) {
      throw a64Error(A64Diagnostic.UNSUPPORTED_GIC, `GICv3 reg has ${ranges.length} ranges; GICD and ${regionCount} redistributor region(s) are required`, { file, field: `${node.path}.reg` });
    }
    const strideProperty = findProperty(node, "redistributor-stride");
    const stride = strideProperty === undefined ? undefined : BigInt(u32Of(tree, node, strideProperty));
    const regions = ranges.slice(1, 1 + regionCount);
    const step = stride !== undefined && stride > 0n ? stride : GICV3_REDISTRIBUTOR_SIZE;
    const redistributorCount = regions.reduce((sum, region) => sum + Number(region.size / step), 0);
    const rest = 1 + regionCount;
    const its = node.children
      .filter((child) => isCompatible(tree, child, GICV3_ITS_COMPATIBLE))
      .map((child) => ({ ...(regOf(tree, child)[0] as RegRange), path: child.path }));
    return {
      version: 3,
      compatible: GICV3_COMPATIBLE,
      ...common,
      distributor: at(0) as RegRange,
      redistributorRegions: regions,
      ...(stride !== undefined ? { redistributorStride: stride } : {}),
      redistributorCount,
      ...optional("cpuInterface", at(rest)),
      ...optional("virtualInterfaceControl", at(rest + 1)),
      ...optional("virtualCpuInterface", at(rest + 2)),
      its,
    };
  }
  if (ranges.length < 2 || ranges.length > 4) {
    throw a64Error(A64Diagnostic.UNSUPPORTED_GIC, `GICv2 reg has ${ranges.length} ranges; expected GICD, GICC and optionally GICH, GICV`, { file, field: `${node.path}.reg` });
  }
  const compatible = GICV2_COMPATIBLES.find((candidate) => isCompatible(tree, node, candidate)) as string;
  const msiFrames = node.children
    .filter((child) => isCompatible(tree, child, GICV2M_COMPATIBLE))
    .map((child) => ({ ...(regOf(tree, child)[0] as RegRange), path: child.path }));
  return {
    version: 2,
    compatible,
    ...common,
    distributor: at(0) as RegRange,
    cpuInterface: at(1) as RegRange,
    ...optional("virtualInterfaceControl", at(2)),
    ...optional("virtualCpuInterface", at(3)),
    msiFrames,
  };
}
