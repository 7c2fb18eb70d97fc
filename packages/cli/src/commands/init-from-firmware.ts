import { readFileSync, statSync } from "node:fs";
import { basename, relative } from "node:path";
import { FDT_MAGIC, profileFromDtb } from "@novakit/arch-aarch64";
import { saveProfile } from "@novakit/arch-x86_64";
import { NovakitError, type Platform } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { importFirmware } from "./import.js";

/** What `init --from FILE` writes: the configuration text and, for ACPI input, the profile it names. */
export interface InitFromFirmware {
  readonly config: string;
  /** the imported platform profile (ACPI input): file name next to the configuration, JSON text */
  readonly profile?: { readonly fileName: string; readonly text: string };
}

/**
 * A starting configuration for a real machine from its firmware: an `acpidump` output or raw
 * tables (x86_64, imported as `novakit import` does and saved as a profile next to the
 * configuration) or a flattened device tree (AArch64, named by path). The arch, the plugins the
 * vendor calls for and the profile are chosen from what the firmware says, and every choice is
 * written as a comment in the configuration. Two native domains that exchange IPC on CPU 0 give it
 * something to boot on any machine.
 */
export function initFromFirmware(file: string, configDir: string, cpuPath: string | undefined): InitFromFirmware {
  return isDeviceTree(file) ? fromDeviceTree(file, configDir) : fromAcpi(file, configDir, cpuPath);
}

function isDeviceTree(file: string): boolean {
  if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return false;
  const head = readFileSync(file).subarray(0, 4);
  return head.length === 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false) === FDT_MAGIC;
}

function fromAcpi(file: string, configDir: string, cpuPath: string | undefined): InitFromFirmware {
  const imported = importFirmware(file, cpuPath);
  const platform = imported.platform;
  if (platform === undefined) {
    throw new NovakitError(
      CLI_CODES.badOptionValue,
      `init --from: ${basename(file)} has no MADT (APIC table): the platform has no CPUs to boot`,
      { file, field: "--from" },
      "pass a whole acpidump output or a folder with all tables",
    );
  }
  const fileName = `${imported.profile.name}.profile.json`;
  const cpu = platform.cpu;
  const lines: string[] = [];
  lines.push(`  // from ${basename(file)} (ACPI tables: ${[...new Set(imported.tables.tables.map((table) => table.signature))].join(", ")})`);
  lines.push(`  name: ${JSON.stringify(imported.profile.name.replace(/^imported-/, ""))},`);
  lines.push(`  // ACPI firmware with a MADT: an x86_64 machine; @novakit/arch-x86_64 is added by default`);
  lines.push(`  arch: "x86_64",`);
  lines.push(`  // the imported profile, saved next to this file: its CPU model and memory map are assumptions`);
  lines.push(`  // the firmware cannot state (see its notes); edit them to match the machine`);
  lines.push(`  platform: "./${fileName}",`);
  lines.push(`  plugins: [`);
  lines.push(...vendorPluginLines(platform, imported.ivrs !== undefined, imported.cpuKnown));
  lines.push(`  ],`);
  return { config: configText(lines, platform), profile: { fileName, text: saveProfile(imported.profile, configDir) } };
}

function fromDeviceTree(file: string, configDir: string): InitFromFirmware {
  const name = basename(file).replace(/\.dtb$/, "");
  const profile = profileFromDtb(name, new Uint8Array(readFileSync(file)), file);
  const platform = profile.platform;
  const path = relative(configDir, file);
  const reference = path.startsWith(".") || path.startsWith("/") ? path : `./${path}`;
  const lines: string[] = [];
  lines.push(`  // from ${basename(file)} (a flattened device tree)`);
  lines.push(`  name: ${JSON.stringify(name)},`);
  lines.push(`  // a device tree with Arm CPUs: an AArch64 machine; @novakit/arch-aarch64 is added by default`);
  lines.push(`  arch: "aarch64",`);
  lines.push(`  // the device tree itself is the profile: discovery reads it at every boot`);
  lines.push(`  platform: ${JSON.stringify(reference)},`);
  lines.push(`  plugins: [`);
  lines.push(
    platform.iommus.length > 0
      ? `    // ${platform.iommus.map((unit) => unit.kind).join(", ")} found, but Novakit has no Arm SMMU plugin yet: device DMA stays untranslated`
      : `    // no SMMU in the device tree: devices' DMA cannot be translated on this machine`,
  );
  lines.push(`    // no measured launch: TXT and SKINIT are x86 only`);
  lines.push(`  ],`);
  return { config: configText(lines, platform) };
}

/** The plugins an x86 vendor calls for, each with the reason, as configuration lines. */
function vendorPluginLines(platform: Platform, hasIvrs: boolean, cpuKnown: boolean): string[] {
  const cpu = platform.cpu;
  const lines: string[] = [];
  if (cpu.vendor === "amd") {
    lines.push(
      hasIvrs
        ? `    // AMD with an IVRS: @novakit/iommu-amd (DMA remapping) is added by default; cmdline "nosmmu" turns it off`
        : `    // AMD without an IVRS: no IOMMU to program, device DMA stays untranslated`,
    );
  } else {
    lines.push(`    // Intel: Novakit has no VT-d plugin yet, so device DMA stays untranslated (check warns when devices are assigned)`);
  }
  const launchFeature = cpu.vendor === "amd" ? "SVM" : "SMX";
  const launchMethod = cpu.vendor === "amd" ? "SKINIT" : "Intel TXT";
  if (cpu.features.includes(launchFeature)) {
    lines.push(`    // the CPU has ${launchFeature}: a measured launch (${launchMethod}) into the embedded TPM; \`novakit measure\` predicts its PCRs`);
    lines.push(`    { name: "@novakit/txt-launch", options: { method: "auto" } },`);
  } else {
    lines.push(
      cpuKnown
        ? `    // no ${launchFeature} on this CPU: no measured launch (${launchMethod} needs it)`
        : `    // CPU features unknown (run init --from with --cpu /proc/cpuinfo): with ${launchFeature}, add`,
    );
    lines.push(`    // { name: "@novakit/txt-launch", options: { method: "auto" } },`);
  }
  const cet = cpu.features.includes("CET_IBT") && cpu.features.includes("CET_SS") && cpu.features.includes("CET_SSS") ? "full" : cpu.features.includes("CET_IBT") ? "branch" : undefined;
  if (cet !== undefined) {
    lines.push(`    // the CPU has CET: control-flow protection at the level it supports`);
    lines.push(`    { name: "@novakit/security-cet", options: { cfp: "${cet}" } },`);
  } else {
    lines.push(`    // no supervisor CET on this CPU${cpuKnown ? "" : " (features unknown)"}: @novakit/security-cet would only say so`);
  }
  return lines;
}

/** The whole configuration module: the chosen lines, then a simulation setup that boots anywhere. */
function configText(choices: readonly string[], platform: Platform): string {
  const cpus = platform.cpus.filter((cpu) => cpu.enabled).length;
  return `// novakit configuration made by \`novakit init --from\`: \`novakit check\` validates it,
// \`novakit boot\` runs it in the simulator, \`novakit compose -o build\` writes what NOVA needs.
import { defineConfig } from "@novakit/cli";

export default defineConfig({
${choices.join("\n")}
  // NOVA's command line (nosmmu, nopcid, ...); unknown tokens are ignored, as NOVA does
  cmdline: "",
  seed: 1,
  durationMs: 20,
  // a start: two native domains exchanging IPC on CPU 0 (the platform has ${cpus} CPU${cpus === 1 ? "" : "s"});
  // add VMs, devices ("SSSS:BB:DD.F") and your own workloads
  domains: [
    { name: "server", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [0], priority: 20, budgetMs: 5, workload: "ipc-server" },
    { name: "client", kind: "native", memoryMiB: 4, vcpus: 1, cpus: [0], priority: 10, budgetMs: 5, workload: "ipc-client", workloadOptions: { server: "server" } },
  ],
});
`;
}
