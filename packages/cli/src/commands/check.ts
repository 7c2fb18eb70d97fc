import { checkPlatformConstraints, isNovakitError, NovaCmdline, NovakitError, type NovakitConfig, type Platform, type ResolvedPlugin } from "@novakit/kernel-core";
import { IommuPluginDiagnostic } from "@novakit/iommu-amd";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { parseArchOption } from "../config/arch-option.js";
import { CONFIG_CODES } from "../config/config-codes.js";
import { TARGET_CODES } from "../config/target-codes.js";
import { normalizePciDevice } from "../config/config-schema.js";
import { readConfigSource, type ConfigSource } from "../config/load-config.js";
import { platformFindings } from "../config/platform-checks.js";
import { discoverPlatform, prepareFromSource } from "../config/prepare-configuration.js";
import { validateConfig } from "../config/validate-config.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { diagnosticFrom, formatDiagnostic, type Diagnostic } from "../output/diagnostic.js";
import type { Command } from "./command.js";
import { cetPlatformFindings } from "./cet-platform-check.js";
import { runIsolationCheck } from "./isolation-check.js";
import { launchMethodFindings } from "@novakit/txt-launch";

/**
 * Codes that mean the input could not be found at all, or not for the arch asked for: a usage
 * error (exit 2), not a failed check.
 */
const NOT_CHECKABLE: ReadonlySet<string> = new Set<string>([
  CONFIG_CODES.fileNotFound,
  CONFIG_CODES.unsupportedExtension,
  TARGET_CODES.archNotSupported,
  TARGET_CODES.unknownArch,
]);

/**
 * Every diagnostic for one configuration. Stages stop at the first that fails (a configuration
 * that does not validate cannot resolve plugins), but within a stage all problems are listed.
 */
export async function collectDiagnostics(source: ConfigSource): Promise<Diagnostic[]> {
  // Errors raised deeper (a plugin's discover tap) may not know the file: it is this configuration.
  return (await diagnosticsOf(source)).map((diagnostic) => ({ ...diagnostic, file: diagnostic.file ?? source.label }));
}

async function diagnosticsOf(source: ConfigSource): Promise<Diagnostic[]> {
  const { config, errors } = validateConfig(source.value, source.label);
  if (config === undefined) return errors.map((error) => diagnosticFrom(error));
  try {
    const prepared = await prepareFromSource(source, config);
    const discovered = await discoverPlatform(prepared);
    checkPlatformConstraints(prepared.plugins, discovered.platform);
    const hasIommu = prepared.plugins.some((resolved) => resolved.plugin.kind === "iommu");
    return [
      ...platformFindings(config, source.label, discovered.platform, discovered.workloads, hasIommu).map((finding) =>
        diagnosticFrom(finding.error, finding.severity),
      ),
      ...untranslatedDmaWarnings(config, source.label, discovered.platform, prepared.plugins),
      ...cetPlatformFindings(prepared, discovered.platform).map((finding) => diagnosticFrom(finding.error, finding.severity)),
      ...launchMethodFindings(prepared.plugins, discovered.platform).map((error) => diagnosticFrom(error)),
    ];
  } catch (error) {
    if (isNovakitError(error)) return [diagnosticFrom(error)];
    throw error;
  }
}

export const checkCommand: Command = {
  name: "check",
  summary: "validate a configuration, resolve its plugins, check it against the platform",
  help: `Usage: novakit check [CONFIG] [--arch ARCH] [--json]
       novakit check --isolation [CONFIG] [--arch ARCH] [--json]

Validates the configuration (CONFIG, else novakit.config.{ts,mts,js,mjs,json} in the working
directory, else the built-in default), resolves its plugins, discovers the platform and checks
what depends on it (CPU indices, devices, workloads, plugin vendor/CPU-feature constraints).
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or missing file.

With --isolation, boots the configuration and walks the IOMMU's real device tables and I/O page
tables: for every DMA-capable PCI function, the physical frames it can read and write and who
owns them. A frame of another domain, of the root task or of the kernel is a violation (listed
with device, domain, owner and range); a device no IOMMU translates reaches everything.
Exit status: 0 isolated, 1 violations, 2 usage error or a configuration boot refuses.

Options:
  --json     print { ok, config, diagnostics: [{ code, severity, message, file, field, hint }] }
             (with --isolation: the isolation report)
  --isolation  boot and prove DMA isolation (see above)
  --arch ARCH  x86_64 or aarch64: the arch of a portable configuration (one with targets) to
             check; a configuration with a fixed arch accepts only that one (else exit 2)
  -h, --help show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("check", argv, { json: { type: "boolean" }, isolation: { type: "boolean" }, arch: { type: "string" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const arch = parseArchOption("check", values["arch"]);
    if (values["isolation"] === true) return runIsolationCheck(io, positionals[0], values["json"] === true, arch);
    let diagnostics: Diagnostic[];
    let label = positionals[0] ?? "";
    try {
      const source = await readConfigSource(io.cwd, positionals[0], arch);
      label = source.label;
      diagnostics = await collectDiagnostics(source);
    } catch (error) {
      if (!isNovakitError(error) || NOT_CHECKABLE.has(error.code)) throw error;
      diagnostics = [diagnosticFrom(error)];
      label = error.location.file ?? label;
    }
    const ok = diagnostics.every((diagnostic) => diagnostic.severity !== "error");
    if (values["json"] === true) {
      io.stdout(stableJsonText({ ok, config: label, diagnostics: diagnostics.map((d) => ({ ...d })) }));
    } else {
      const colors = colorsFor(io);
      for (const diagnostic of diagnostics) {
        const text = formatDiagnostic(diagnostic);
        io.stdout(`${diagnostic.severity === "error" ? colors.red(text) : colors.yellow(text)}\n`);
      }
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const warnings = diagnostics.length - errors;
      io.stdout(ok ? colors.green(`${label}: ok (${warnings} warning${warnings === 1 ? "" : "s"})\n`) : `${label}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`);
    }
    return ok ? 0 : 1;
  },
};

// ---- DMA isolation: devices whose DMA no IOMMU will translate ----

const pciAddress = (segment: number, bus: number, device: number, fn: number): string =>
  `${segment.toString(16).padStart(4, "0")}:${bus.toString(16).padStart(2, "0")}:${device.toString(16).padStart(2, "0")}.${fn}`;

/**
 * A loud warning (NK-IOMMU-306) for every DMA-capable device a domain is given while an IOMMU
 * plugin is configured but will not translate its DMA: the command line says `nosmmu` (NOVA
 * skips SMMU init, reference/nova.md §4.7), or no IOMMU unit of the platform covers the
 * device's PCI segment. Without any IOMMU plugin (left out, `enabled: false`, or a platform no
 * IOMMU plugin supports) platform-checks.ts already warns for every assigned device (NK-CFG-018).
 */
export function untranslatedDmaWarnings(config: NovakitConfig, file: string, platform: Platform, plugins: readonly ResolvedPlugin[]): Diagnostic[] {
  if (!plugins.some((resolved) => resolved.plugin.kind === "iommu")) return [];
  const nosmmu = new NovaCmdline(config.cmdline ?? "").has("nosmmu");
  const warnings: Diagnostic[] = [];
  config.domains.forEach((domain, index) => {
    (domain.devices ?? []).forEach((text, deviceIndex) => {
      const fn = platform.pci.find((candidate) => pciAddress(candidate.segment, candidate.bus, candidate.device, candidate.function) === normalizePciDevice(text));
      if (fn === undefined || !fn.dmaCapable) return;
      const covered = platform.iommus.some((unit) => unit.segment === fn.segment);
      if (!nosmmu && covered) return;
      const why = nosmmu ? 'the command line has "nosmmu", so the IOMMU is never initialised' : `no IOMMU unit of platform ${platform.name} covers PCI segment ${fn.segment}`;
      const error = new NovakitError(
        IommuPluginDiagnostic.DMA_NOT_TRANSLATED,
        `domain "${domain.name}" is given DMA-capable device ${normalizePciDevice(text)} (${fn.name}), but ${why}: its DMA reaches all physical memory untranslated`,
        { file, field: `domains[${index}].devices[${deviceIndex}]` },
        nosmmu ? 'remove "nosmmu" from cmdline to isolate device DMA' : "use a platform whose firmware describes an IOMMU for that segment, or do not assign the device",
      );
      warnings.push(diagnosticFrom(error, "warning"));
    });
  });
  return warnings;
}
