import { NovakitError, parseNovaCmdline, type NovakitConfig, type Platform } from "@novakit/kernel-core";
import { CONFIG_CODES } from "./config-codes.js";
import { normalizePciDevice } from "./config-schema.js";

export interface PlatformFinding {
  readonly severity: "error" | "warning";
  readonly error: NovakitError;
}

const pciName = (f: { segment: number; bus: number; device: number; function: number }): string =>
  `${f.segment.toString(16).padStart(4, "0")}:${f.bus.toString(16).padStart(2, "0")}:${f.device.toString(16).padStart(2, "0")}.${f.function}`;

/**
 * Checks that need the discovered Platform and the kernel's workload list: CPU indices exist,
 * assigned devices exist, workloads are known; warnings for NOVA command-line tokens NOVA
 * ignores and for devices that would DMA untranslated without an IOMMU.
 */
export function platformFindings(
  config: NovakitConfig,
  file: string,
  platform: Platform,
  workloads: readonly string[],
  hasIommuPlugin: boolean,
): PlatformFinding[] {
  const findings: PlatformFinding[] = [];
  const error = (code: string, message: string, field: string, hint?: string) =>
    findings.push({ severity: "error", error: new NovakitError(code, message, { file, field }, hint) });
  const warn = (code: string, message: string, field: string, hint?: string) =>
    findings.push({ severity: "warning", error: new NovakitError(code, message, { file, field }, hint) });
  const cpuCount = platform.cpus.filter((cpu) => cpu.enabled).length;
  const devices = new Set(platform.pci.map(pciName));
  config.domains.forEach((domain, index) => {
    (domain.cpus ?? [0]).forEach((cpu, cpuIndex) => {
      if (cpu >= cpuCount) {
        error(
          CONFIG_CODES.cpuOutOfRange,
          `CPU ${cpu} does not exist: platform ${platform.name} has ${cpuCount} CPU${cpuCount === 1 ? "" : "s"} (0..${cpuCount - 1})`,
          `domains[${index}].cpus[${cpuIndex}]`,
        );
      }
    });
    (domain.devices ?? []).forEach((device, deviceIndex) => {
      const name = normalizePciDevice(device);
      if (!devices.has(name)) {
        error(CONFIG_CODES.deviceNotOnPlatform, `PCI function ${name} is not on platform ${platform.name}`, `domains[${index}].devices[${deviceIndex}]`, `present: ${[...devices].join(", ")}`);
      } else if (!hasIommuPlugin) {
        warn(
          CONFIG_CODES.deviceWithoutIommu,
          `device ${name} is assigned but no IOMMU plugin is configured: its DMA reaches all physical memory untranslated`,
          `domains[${index}].devices[${deviceIndex}]`,
          'add "@novakit/iommu-amd" (AMD) to plugins',
        );
      }
    });
    if (!workloads.includes(domain.workload)) {
      error(CONFIG_CODES.unknownWorkload, `unknown workload "${domain.workload}"`, `domains[${index}].workload`, `known workloads: ${workloads.join(", ")}`);
    }
  });
  for (const token of parseNovaCmdline(config.cmdline ?? "").unknownTokens) {
    warn(CONFIG_CODES.cmdlineUnknownToken, `NOVA does not recognise the command-line token "${token}" and ignores it`, "cmdline", "reference: nova.md §8.1 lists the options");
  }
  return findings;
}
