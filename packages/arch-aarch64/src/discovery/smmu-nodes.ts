import type { IommuUnit } from "@novakit/kernel-core";
import type { FdtTree } from "../fdt/fdt-types.js";
import { allNodes, findProperty, isCompatible, regOf, stringListOf, u32Of, type RegRange } from "../fdt/fdt-values.js";
import type { GicInterrupt } from "./interrupt-specifier.js";
import { interruptsOf } from "./node-interrupts.js";

/** SMMU nodes (platform.md §2): "arm,smmu-v3" -> arm-smmu-v3; SMMUv1/v2 compatibles -> arm-smmu-v2. */
const SMMU_V2_COMPATIBLES = ["arm,mmu-500", "arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401"];

export interface SmmuDescription {
  readonly path: string;
  readonly kind: "arm-smmu-v3" | "arm-smmu-v2";
  readonly base: bigint;
  readonly size: bigint;
  readonly interrupts: readonly { readonly name: string; readonly interrupt: GicInterrupt }[];
  readonly iommuCells?: number;
  readonly dmaCoherent: boolean;
}

export function discoverSmmus(tree: FdtTree): SmmuDescription[] {
  const smmus: SmmuDescription[] = [];
  for (const node of allNodes(tree)) {
    const v3 = isCompatible(tree, node, "arm,smmu-v3");
    if (!v3 && !SMMU_V2_COMPATIBLES.some((compatible) => isCompatible(tree, node, compatible))) continue;
    const range = regOf(tree, node)[0] as RegRange;
    const namesProperty = findProperty(node, "interrupt-names");
    const names = namesProperty === undefined ? [] : stringListOf(tree, node, namesProperty);
    const cellsProperty = findProperty(node, "#iommu-cells");
    smmus.push({
      path: node.path,
      kind: v3 ? "arm-smmu-v3" : "arm-smmu-v2",
      base: range.address,
      size: range.size,
      interrupts: interruptsOf(tree, node).map((interrupt, index) => ({ name: names[index] ?? `irq${index}`, interrupt })),
      ...(cellsProperty !== undefined ? { iommuCells: u32Of(tree, node, cellsProperty) } : {}),
      dmaCoherent: findProperty(node, "dma-coherent") !== undefined,
    });
  }
  return smmus;
}

export function iommuUnitsOf(smmus: readonly SmmuDescription[]): IommuUnit[] {
  return smmus.map((smmu) => ({ kind: smmu.kind, baseAddress: smmu.base, segment: 0, source: `FDT ${smmu.path}` }));
}
