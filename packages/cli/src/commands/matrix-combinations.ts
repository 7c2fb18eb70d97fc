import type { DomainConfig, NovakitConfig, PciFunction, PluginReference } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { discoverPlatform, prepareFromSource } from "../config/prepare-configuration.js";
import { ARCH_PACKAGE_EXPORTS } from "../plugins/built-in-plugins.js";
import { collectDiagnostics } from "./check.js";

/** The plugin sets a matrix tries on every platform, beyond the plugins added by default. */
export const MATRIX_PLUGIN_SETS: Readonly<Record<string, readonly PluginReference[]>> = Object.freeze({
  base: [],
  launch: [{ name: "@novakit/txt-launch", options: { method: "auto" } }],
  cet: [{ name: "@novakit/security-cet", options: { cfp: "full" } }],
  "launch+cet": [
    { name: "@novakit/txt-launch", options: { method: "auto" } },
    { name: "@novakit/security-cet", options: { cfp: "full" } },
  ],
});

export const MATRIX_SCENARIOS = ["ipc", "temporal", "dma-isolation", "cf-attack"] as const;
export type MatrixScenario = (typeof MATRIX_SCENARIOS)[number];

export interface MatrixCombination {
  readonly arch: "x86_64" | "aarch64";
  readonly platform: string;
  readonly plugins: string;
  readonly scenario: MatrixScenario;
  /** the configuration the combination boots; absent when the platform cannot host the scenario */
  readonly config?: NovakitConfig;
  /** undefined when valid; else why not, with the diagnostic code */
  readonly rejected?: { readonly code: string; readonly reason: string };
}

/**
 * Every combination of built-in platform profile x plugin set x scenario, each checked exactly as
 * `novakit check` checks a configuration (schema, plugin constraints, platform discovery, CPU
 * features, the CFP level, the launch method): a combination is valid when check reports no error,
 * and a rejected one carries check's first error.
 */
export async function matrixCombinations(cwd: string): Promise<MatrixCombination[]> {
  const combinations: MatrixCombination[] = [];
  for (const [arch, exports] of Object.entries(ARCH_PACKAGE_EXPORTS) as ["x86_64" | "aarch64", Record<string, unknown>][]) {
    for (const platform of profileNames(exports)) {
      const pci = await platformPci(arch, platform, cwd);
      for (const [plugins, references] of Object.entries(MATRIX_PLUGIN_SETS)) {
        for (const scenario of MATRIX_SCENARIOS) {
          const domains = scenarioDomains(scenario, pci);
          if (typeof domains === "string") {
            combinations.push({ arch, platform, plugins, scenario, rejected: { code: CLI_CODES.scenarioNotHosted, reason: domains } });
            continue;
          }
          const config: NovakitConfig = {
            name: `matrix-${arch}-${platform}-${plugins}-${scenario}`,
            arch,
            platform,
            plugins: references,
            seed: 1,
            durationMs: 10,
            domains,
          };
          const label = `matrix ${arch} ${platform} ${plugins} ${scenario}`;
          const firstError = (await collectDiagnostics({ value: config, label, dir: cwd })).find((diagnostic) => diagnostic.severity === "error");
          combinations.push({
            arch,
            platform,
            plugins,
            scenario,
            config,
            ...(firstError === undefined ? {} : { rejected: { code: firstError.code, reason: firstError.message } }),
          });
        }
      }
    }
  }
  return combinations;
}

function profileNames(exports: Record<string, unknown>): string[] {
  const list = exports["builtInProfiles"];
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => (entry as { name?: unknown }).name).filter((name): name is string => typeof name === "string");
}

/** The platform's PCI functions, from a discovery of a minimal configuration on it. */
async function platformPci(arch: "x86_64" | "aarch64", platform: string, cwd: string): Promise<readonly PciFunction[]> {
  const config: NovakitConfig = { arch, platform, domains: [{ name: "probe", kind: "native", memoryMiB: 1, vcpus: 1, priority: 1, budgetMs: 1, workload: "busy-loop" }] };
  const prepared = await prepareFromSource({ value: config, label: `matrix probe ${platform}`, dir: cwd }, config);
  return (await discoverPlatform(prepared)).platform.pci;
}

const native = (name: string, workload: string, extra: Partial<DomainConfig> = {}): DomainConfig => ({
  name,
  kind: "native",
  memoryMiB: 4,
  vcpus: 1,
  cpus: [0],
  priority: 10,
  budgetMs: 2,
  workload,
  ...extra,
});

const pciText = (fn: PciFunction): string =>
  `${fn.segment.toString(16).padStart(4, "0")}:${fn.bus.toString(16).padStart(2, "0")}:${fn.device.toString(16).padStart(2, "0")}.${fn.function}`;

/** The domains of a scenario on a platform, or why the platform cannot host it. */
function scenarioDomains(scenario: MatrixScenario, pci: readonly PciFunction[]): DomainConfig[] | string {
  switch (scenario) {
    case "ipc":
      return [native("server", "ipc-server", { priority: 20 }), native("client", "ipc-client", { workloadOptions: { server: "server" } })];
    case "temporal":
      return [native("a", "busy-loop"), native("b", "busy-loop")];
    case "cf-attack":
      return [native("attacker", "cfAttack")];
    case "dma-isolation": {
      // two tenants, each with a processing accelerator (class 12h) and a NIC (class 02h)
      const accelerators = pci.filter((fn) => fn.dmaCapable && (fn.classCode ?? 0) >> 16 === 0x12);
      const nics = pci.filter((fn) => fn.dmaCapable && (fn.classCode ?? 0) >> 16 === 0x02);
      if (accelerators.length < 2 || nics.length < 2) return "needs two DMA-capable accelerators and two NICs for two tenants";
      const [a0, a1] = accelerators as [PciFunction, PciFunction];
      const [n0, n1] = nics as [PciFunction, PciFunction];
      const vm = (name: string, devices: string[], workload: string, workloadOptions?: Record<string, unknown>): DomainConfig => ({
        name,
        kind: "vm",
        memoryMiB: 16,
        vcpus: 1,
        cpus: [0],
        priority: 10,
        budgetMs: 2,
        devices,
        workload,
        ...(workloadOptions === undefined ? {} : { workloadOptions }),
      });
      return [
        vm("tenant-a", [pciText(a0), pciText(n0)], "ai-tenant"),
        vm("tenant-b", [pciText(a1), pciText(n1)], "compromised-driver", { device: pciText(a1), victims: ["tenant-a"] }),
      ];
    }
  }
}
