import "reflect-metadata";

// The public API of @novakit/cli: what a novakit.config.ts imports, and the CLI as a library.
// the CLI's defineConfig also accepts a portable configuration's per-arch `targets`
export { defineConfig } from "./config/define-config.js";
export { ARCHES, selectArchTarget, supportedArches, type NovakitConfigFile, type ArchTargets, type ArchTarget } from "./config/arch-targets.js";
export { TARGET_CODES } from "./config/target-codes.js";
export type { NovakitConfig, DomainConfig, PluginReference, NovakitPlugin, PluginKind } from "@novakit/kernel-core";
export { runCli, COMMANDS, cliVersion, type CommandEntry } from "./cli.js";
export type { CliIo } from "./io/cli-io.js";
export { parseNovaCmdline, tokenMatchesOption, NOVA_CMDLINE_OPTIONS, type ParsedNovaCmdline, type NovaCmdlineOption } from "@novakit/kernel-core";
export { novakitConfigSchema, normalizePciDevice, PCI_DEVICE_PATTERN } from "./config/config-schema.js";
export { validateConfig, formatFieldPath } from "./config/validate-config.js";
export { parseJsonText } from "./config/json-syntax-error.js";
export { readConfigSource, BUILT_IN_CONFIG_LABEL, type ConfigSource } from "./config/load-config.js";
export { pluginRequests } from "./config/plugin-references.js";
export { prepareConfiguration, prepareFromSource, discoverPlatform, type PreparedConfiguration } from "./config/prepare-configuration.js";
export { CONFIG_CODES, PLUGIN_LOAD_CODES } from "./config/config-codes.js";
export { CLI_CODES } from "./args/cli-codes.js";
export { defaultConfig } from "./defaults/default-config.js";
export { bootableConfiguration, BOOTABLE_FORMAT } from "./commands/bootable-configuration.js";
export type { Diagnostic } from "./output/diagnostic.js";
export { matrixCombinations, MATRIX_PLUGIN_SETS, MATRIX_SCENARIOS, type MatrixCombination, type MatrixScenario } from "./commands/matrix-combinations.js";
export { runMatrix, shardOf, type MatrixOutcome } from "./commands/matrix-run.js";
// novakit report: the command, and the page as a library (gather from a boot, render to HTML)
export { reportCommand, DEFAULT_REPORT_FILE } from "./commands/report.js";
export { gatherReport } from "./report/gather-report.js";
export { renderReportHtml, FAULT_ROWS_SHOWN } from "./report/report-page.js";
export { REPORT_CODES } from "./report/report-codes.js";
export type { ReportData } from "./report/report-model.js";
