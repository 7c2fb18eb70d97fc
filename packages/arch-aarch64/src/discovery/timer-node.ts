import type { FdtTree } from "../fdt/fdt-types.js";
import { allNodes, findProperty, isCompatible } from "../fdt/fdt-values.js";
import type { GicInterrupt } from "./interrupt-specifier.js";
import { interruptsOf } from "./node-interrupts.js";

/** The architected timer (platform.md §2): 4 PPIs, secure phys, non-secure phys, virtual, hyp phys. */
export interface TimerDescription {
  readonly path: string;
  readonly securePhysical?: GicInterrupt;
  readonly nonSecurePhysical?: GicInterrupt;
  readonly virtual?: GicInterrupt;
  readonly hypervisorPhysical?: GicInterrupt;
  readonly alwaysOn: boolean;
}

export function discoverTimer(tree: FdtTree): TimerDescription | undefined {
  const node = allNodes(tree).find((candidate) => isCompatible(tree, candidate, "arm,armv8-timer"));
  if (node === undefined) return undefined;
  const [securePhysical, nonSecurePhysical, virtual, hypervisorPhysical] = interruptsOf(tree, node);
  return {
    path: node.path,
    ...(securePhysical !== undefined ? { securePhysical } : {}),
    ...(nonSecurePhysical !== undefined ? { nonSecurePhysical } : {}),
    ...(virtual !== undefined ? { virtual } : {}),
    ...(hypervisorPhysical !== undefined ? { hypervisorPhysical } : {}),
    alwaysOn: findProperty(node, "always-on") !== undefined,
  };
}
