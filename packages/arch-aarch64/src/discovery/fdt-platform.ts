import type { FirmwareTable, InterruptController, Platform } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtTree } from "../fdt/fdt-types.js";
import { findProperty, stringListOf, stringOf } from "../fdt/fdt-values.js";
import { armCpuModel, coreFactsOf, type ArmCoreFacts } from "./arm-cpu-model.js";
import { discoverCpuNodes, platformCpusOf, type CpuNodeDescription } from "./cpu-nodes.js";
import { discoverChosen, type ChosenDescription } from "./chosen-node.js";
import { discoverMemory } from "./memory-nodes.js";
import { discoverPciSegments } from "./pci-host-nodes.js";
import { discoverSmmus, iommuUnitsOf, type SmmuDescription } from "./smmu-nodes.js";
import { discoverTimer, type TimerDescription } from "./timer-node.js";
import { discoverUarts, type UartDescription } from "./uart-nodes.js";
import { discoverGic, type GicDescription } from "./gic.js";
import { discoverPsci, type PsciNodeDescription } from "./psci-node.js";

/** The AArch64 facts an FDT gives beyond the Platform (platform.firmware.decoded["fdt"]). */
export interface FdtPlatformFacts {
  readonly model?: string;
  readonly compatible: readonly string[];
  readonly cpus: readonly CpuNodeDescription[];
  readonly psci?: PsciNodeDescription;
  readonly gic: GicDescription;
  readonly timer?: TimerDescription;
  readonly uarts: readonly UartDescription[];
  readonly smmus: readonly SmmuDescription[];
  readonly chosen: ChosenDescription;
  /** EL2 present: the GIC describes its maintenance interrupt (QEMU virtualization=on, platform.md §7.2) */
  readonly el2: boolean;
}

/** Key of the decoded facts in platform.firmware.decoded. */
export const FDT_FACTS_KEY = "fdt";

export interface FdtPlatformOptions {
  /** platform name (profile name or file) */
  readonly name: string;
  /** core facts to use instead of looking up the CPU compatible */
  readonly core?: ArmCoreFacts;
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/**
 * Discovery (reference/platform.md §2-4): memory nodes, /cpus (reg = MPIDR, enable-method
 * "psci" needs /psci), /psci, the GIC (v2 or v3 with ITS children), the timer, PL011 UARTs,
 * SMMUs (IommuUnit), ECAM host bridges and /chosen, into the kernel-core Platform. The blob is
 * kept as the one FirmwareTable "FDT".
 */
export function platformFromFdt(tree: FdtTree, blob: Uint8Array, options: FdtPlatformOptions): { platform: Platform; facts: FdtPlatformFacts } {
  const file = tree.source;
  const cpuNodes = discoverCpuNodes(tree);
  const psci = discoverPsci(tree);
  for (const cpu of cpuNodes) {
    if (cpu.enableMethod !== "psci") {
      throw a64Error(A64Diagnostic.UNSUPPORTED_ENABLE_METHOD, `enable-method "${cpu.enableMethod}" is not "psci"; NOVA brings secondaries up with PSCI CPU_ON`, { file, field: `${cpu.path}.enable-method` });
    }
  }
  if (psci === undefined) throw a64Error(A64Diagnostic.INCOMPLETE_PLATFORM, 'CPUs use enable-method "psci" but the tree has no /psci node', { file, field: "/psci" });
  const core = options.core ?? coreFactsOf(cpuNodes[0]?.compatible ?? [], { file, field: `${cpuNodes[0]?.path ?? "/cpus"}.compatible` });
  const gic = discoverGic(tree);
  const el2 = gic.maintenanceInterrupt !== undefined;
  const smmus = discoverSmmus(tree);
  const chosen = discoverChosen(tree);
  const timer = discoverTimer(tree);
  const modelProperty = findProperty(tree.root, "model");
  const compatibleProperty = findProperty(tree.root, "compatible");
  const facts: FdtPlatformFacts = {
    ...(modelProperty !== undefined ? { model: stringOf(tree, tree.root, modelProperty) } : {}),
    compatible: compatibleProperty === undefined ? [] : stringListOf(tree, tree.root, compatibleProperty),
    cpus: cpuNodes,
    psci,
    gic,
    ...(timer !== undefined ? { timer } : {}),
    uarts: discoverUarts(tree),
    smmus,
    chosen,
    el2,
  };
  const table: FirmwareTable = {
    signature: "FDT",
    address: 0n,
    length: tree.header.totalSize,
    revision: tree.header.version,
    oemId: "",
    oemTableId: facts.model ?? "",
    bytes: blob.slice(0, tree.header.totalSize),
  };
  const properties: Record<string, string | number | boolean> = {
    "fdt.version": tree.header.version,
    "fdt.bootCpuIdPhys": tree.header.bootCpuIdPhys,
    "psci.method": psci.method,
    "psci.version": `${psci.version.major}.${psci.version.minor}`,
    "gic.version": gic.version,
    el2,
  };
  if (facts.model !== undefined) properties["model"] = facts.model;
  if (chosen.bootargs !== undefined) properties["bootargs"] = chosen.bootargs;
  if (chosen.stdoutPath !== undefined) properties["stdout-path"] = chosen.stdoutPath;
  const platform: Platform = {
    name: options.name,
    arch: "aarch64",
    cpu: armCpuModel(core, { el2, gicVersion: gic.version }),
    cpus: platformCpusOf(cpuNodes),
    memory: discoverMemory(tree),
    pci: [],
    pciSegments: discoverPciSegments(tree),
    iommus: iommuUnitsOf(smmus),
    interruptControllers: interruptControllersOf(gic),
    firmware: { kind: "fdt", tables: [table], decoded: { [FDT_FACTS_KEY]: facts }, properties },
  };
  return { platform, facts };
}

function interruptControllersOf(gic: GicDescription): InterruptController[] {
  const details: Record<string, number | string | boolean> = { version: gic.version, compatible: gic.compatible, path: gic.path };
  if (gic.cpuInterface !== undefined) details["gicc"] = hex(gic.cpuInterface.address);
  if (gic.virtualInterfaceControl !== undefined) details["gich"] = hex(gic.virtualInterfaceControl.address);
  if (gic.virtualCpuInterface !== undefined) details["gicv"] = hex(gic.virtualCpuInterface.address);
  if (gic.maintenanceInterrupt !== undefined) details["maintenanceIntid"] = gic.maintenanceInterrupt.intid;
  const controllers: InterruptController[] = [];
  if (gic.version === 3) {
    details["redistributors"] = gic.redistributorCount;
    details["redistributorRegions"] = gic.redistributorRegions.length;
    gic.redistributorRegions.forEach((region, index) => {
      details[`gicr${index}`] = hex(region.address);
    });
    controllers.push({ kind: "gicv3", id: 0, baseAddress: gic.distributor.address, details });
    gic.its.forEach((its, index) => controllers.push({ kind: "gic-its", id: index, baseAddress: its.address, details: { path: its.path, size: hex(its.size) } }));
  } else {
    details["msiFrames"] = gic.msiFrames.length;
    controllers.push({ kind: "gicv2", id: 0, baseAddress: gic.distributor.address, details });
  }
  return controllers;
}

/** The decoded facts of a platform discovered from an FDT (undefined for other platforms). */
export function fdtFactsOf(platform: Platform): FdtPlatformFacts | undefined {
  const facts = platform.firmware.decoded[FDT_FACTS_KEY];
  return platform.firmware.kind === "fdt" && facts !== undefined ? (facts as FdtPlatformFacts) : undefined;
}
