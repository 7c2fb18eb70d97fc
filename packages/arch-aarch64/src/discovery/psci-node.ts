import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtTree } from "../fdt/fdt-types.js";
import { findProperty, stringListOf, stringOf, u32Of } from "../fdt/fdt-values.js";

export type PsciConduit = "smc" | "hvc";

/** What /psci says (reference/platform.md §2, §3). */
export interface PsciNodeDescription {
  readonly path: string;
  readonly compatible: readonly string[];
  /** conduit: "smc" (firmware at EL3, QEMU with virtualization=on) or "hvc" */
  readonly method: PsciConduit;
  /** the highest version the compatible list promises: arm,psci-1.0 -> 1.0, arm,psci-0.2 -> 0.2, arm,psci -> 0.1 */
  readonly version: { readonly major: number; readonly minor: number };
  /** PSCI 0.1 function-ID properties (cpu_on, cpu_off, cpu_suspend, migrate) when present */
  readonly functionIds: Readonly<Record<string, number>>;
}

const PSCI_01_PROPERTIES = ["cpu_suspend", "cpu_off", "cpu_on", "migrate"] as const;

/** "arm,psci-X.Y" -> {X, Y}; "arm,psci" -> 0.1 (platform.md §2). */
function versionOf(compatible: string): { major: number; minor: number } | undefined {
  if (compatible === "arm,psci") return { major: 0, minor: 1 };
  const match = /^arm,psci-(\d+)\.(\d+)$/.exec(compatible);
  return match === null ? undefined : { major: Number(match[1]), minor: Number(match[2]) };
}

export function discoverPsci(tree: FdtTree): PsciNodeDescription | undefined {
  const node = tree.nodesByPath.get("/psci");
  if (node === undefined) return undefined;
  const file = tree.source;
  const compatibleProperty = findProperty(node, "compatible");
  const compatible = compatibleProperty === undefined ? [] : stringListOf(tree, node, compatibleProperty);
  const versions = compatible.map(versionOf).filter((version): version is { major: number; minor: number } => version !== undefined);
  if (versions.length === 0) {
    throw a64Error(A64Diagnostic.INCOMPLETE_PLATFORM, `/psci compatible [${compatible.join(", ")}] names no PSCI version`, { file, field: "/psci.compatible" }, 'expected "arm,psci-1.0", "arm,psci-0.2" or "arm,psci"');
  }
  const version = versions.reduce((best, candidate) => (candidate.major * 65536 + candidate.minor > best.major * 65536 + best.minor ? candidate : best));
  const methodProperty = findProperty(node, "method");
  if (methodProperty === undefined) throw a64Error(A64Diagnostic.INCOMPLETE_PLATFORM, "/psci has no method property", { file, field: "/psci.method" });
  const method = stringOf(tree, node, methodProperty);
  if (method !== "smc" && method !== "hvc") {
    throw a64Error(A64Diagnostic.BAD_VALUE, `/psci method "${method}" is neither "smc" nor "hvc"`, { file, field: "/psci.method" });
  }
  const functionIds: Record<string, number> = {};
  for (const name of PSCI_01_PROPERTIES) {
    const property = findProperty(node, name);
    if (property !== undefined) functionIds[name] = u32Of(tree, node, property);
  }
  return { path: node.path, compatible, method, version, functionIds };
}
