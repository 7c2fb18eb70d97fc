import { checkPlatformConstraints, isNovakitError } from "@novakit/kernel-core";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { CONFIG_CODES } from "../config/config-codes.js";
import { readConfigSource, type ConfigSource } from "../config/load-config.js";
import { platformFindings } from "../config/platform-checks.js";
import { discoverPlatform, prepareFromSource } from "../config/prepare-configuration.js";
import { validateConfig } from "../config/validate-config.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { diagnosticFrom, formatDiagnostic, type Diagnostic } from "../output/diagnostic.js";
import type { Command } from "./command.js";

/** Codes that mean the input could not be found at all: a usage error (exit 2), not a failed check. */
const NOT_CHECKABLE: ReadonlySet<string> = new Set<string>([CONFIG_CODES.fileNotFound, CONFIG_CODES.unsupportedExtension]);

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
    return platformFindings(config, source.label, discovered.platform, discovered.workloads, hasIommu).map((finding) =>
      diagnosticFrom(finding.error, finding.severity),
    );
  } catch (error) {
    if (isNovakitError(error)) return [diagnosticFrom(error)];
    throw error;
  }
}

export const checkCommand: Command = {
  name: "check",
  summary: "validate a configuration, resolve its plugins, check it against the platform",
  help: `Usage: novakit check [CONFIG] [--json]

Validates the configuration (CONFIG, else novakit.config.{ts,mts,js,mjs,json} in the working
directory, else the built-in default), resolves its plugins, discovers the platform and checks
what depends on it (CPU indices, devices, workloads, plugin vendor/CPU-feature constraints).
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or missing file.

Options:
  --json     print { ok, config, diagnostics: [{ code, severity, message, file, field, hint }] }
  -h, --help show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("check", argv, { json: { type: "boolean" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    let diagnostics: Diagnostic[];
    let label = positionals[0] ?? "";
    try {
      const source = await readConfigSource(io.cwd, positionals[0]);
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
