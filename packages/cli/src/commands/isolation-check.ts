import { createKernel, type Arch, type BootResult, type NovakitConfig, type NovakitKernel } from "@novakit/kernel-core";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";
import type { CliIo } from "../io/cli-io.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { isolationReport, type IsolationReport, type IsolationViolation } from "./isolation-report.js";

const hex = (value: bigint): string => `0x${value.toString(16)}`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd()).join("\n");
}

const accessOf = (violation: Pick<IsolationViolation, "read" | "write">): string => [violation.read ? "read" : "", violation.write ? "write" : ""].filter((word) => word !== "").join("+");

/** The human report: one row per DMA-capable device, each violation on its own line, a verdict. */
export function formatIsolationReport(report: IsolationReport): string {
  const rows: string[][] = [["device", "domain", "IOMMU", "mode", "read pages", "write pages", "violations"]];
  for (const device of report.devices) {
    rows.push([
      `${device.address} ${device.name}`,
      device.domain ?? "-",
      device.iommu ?? "none",
      device.mode,
      String(device.readablePages),
      String(device.writablePages),
      String(device.violations),
    ]);
  }
  const lines = [`isolation of ${report.configName} (seed ${report.seed}) on ${report.platform}`, "", table(rows), ""];
  if (!report.iommuAnswered) lines.push("no IOMMU translates DMA (no IOMMU plugin, or nosmmu): every device reaches all physical memory", "");
  for (const violation of report.violations) {
    lines.push(
      `VIOLATION ${violation.code} ${violation.device} (${violation.domain}) can ${accessOf(violation)} ${violation.owner} memory ${hex(violation.start)}-${hex(violation.end - 1n)} (${(violation.end - violation.start) >> 12n} pages)`,
    );
  }
  const reachable = report.devices.reduce((sum, device) => sum + Math.max(device.readablePages, device.writablePages), 0);
  const owned = Object.entries(report.ownedPages)
    .map(([owner, pages]) => `${owner} ${pages}`)
    .join(", ");
  lines.push(
    `${report.ok ? "isolated" : "NOT ISOLATED"}: ${report.devices.length} DMA-capable device${report.devices.length === 1 ? "" : "s"}, ${reachable} pages reachable, ${report.violations.length} violation${report.violations.length === 1 ? "" : "s"}`,
    `frames by owner (pages): ${owned}`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `novakit check --isolation [CONFIG] [--json]`: boots the configuration (as `boot` does: it is
 * refused when the ordinary checks fail), then walks what every DMA-capable device can reach.
 * Exit status 0 isolated, 1 violations.
 */
export async function runIsolationCheck(io: CliIo, named: string | undefined, json: boolean, arch?: Arch): Promise<number> {
  const { kernel, result, config, label } = await bootForIsolation(io.cwd, named, arch);
  const report = isolationReport(kernel, result, config);
  if (json) {
    io.stdout(stableJsonText(toJsonValue({ config: label, ...report })));
  } else {
    const colors = colorsFor(io);
    const text = formatIsolationReport(report);
    io.stdout(report.ok ? text : colors.red(text));
  }
  return report.ok ? 0 : 1;
}

/** Load, verify and boot a configuration, keeping the configuration (device assignments) for the report. */
export async function bootForIsolation(
  cwd: string,
  named: string | undefined,
  arch?: Arch,
): Promise<{ readonly kernel: NovakitKernel; readonly result: BootResult; readonly config: NovakitConfig; readonly label: string }> {
  const prepared = await prepareConfiguration(cwd, named, arch);
  await discoverAndVerify(prepared);
  const kernel = createKernel({ config: prepared.config, plugins: prepared.requests, configDir: prepared.source.dir, configFile: prepared.source.label });
  return { kernel, result: await kernel.boot(), config: prepared.config, label: prepared.source.label };
}
