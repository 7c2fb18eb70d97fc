import {
  createKernel,
  NOVA_MODEL_VERSION,
  sbdfOf,
  type DelegationEvent,
  type MeasureEvent,
  type NovakitPlugin,
  type ObjectCreatedEvent,
  type PluginRequest,
} from "@novakit/kernel-core";
import { createIommuAmdPlugin, iommuAmdPlugin, type AmdIommuDriver } from "@novakit/iommu-amd";
import { HASH_ALGORITHMS, TXT_LAUNCH_PLUGIN_NAME } from "@novakit/txt-launch";
import { cliVersion } from "../cli.js";
import { bootableConfiguration } from "../commands/bootable-configuration.js";
import { isolationReport } from "../commands/isolation-report.js";
import { predictLaunch } from "../commands/launch-prediction.js";
import { launchOptionsWith } from "../commands/measured-launch-support.js";
import { discoverAndVerify, type PreparedConfiguration } from "../config/prepare-configuration.js";
import { amdDteReader } from "./amd-dte-reader.js";
import { capabilityGraphOf } from "./capability-graph-data.js";
import { faultTimelineOf } from "./fault-timeline-data.js";
import { iommuAssignmentsOf } from "./iommu-assignment-data.js";
import { measurementsOf } from "./measurement-data.js";
import { memoryMapsOf } from "./memory-map-data.js";
import type { ReportData } from "./report-model.js";

/** how the report's taps are named (every tap is named after who made it) */
const TAP_NAME = "novakit-report";

/**
 * Boots a prepared configuration the way `boot` does (checked first, the same kernel, the same
 * seed rule) while listening on the hooks that say what the kernel did (`objectCreated`,
 * `delegated`, `measure`), then reads what the boot left: the kernel's objects and capability
 * slots, every host/guest/DMA page table, the IOMMU's device table entries and what each device
 * can reach, the faults, the measured launch (with `measure`'s prediction beside it) and the log.
 *
 * The built-in AMD IOMMU plugin is swapped for an identical instance that hands over its driver,
 * so the device table entries can be read from memory the way the hardware reads them.
 */
export async function gatherReport(prepared: PreparedConfiguration, cwd: string, seed: number | undefined): Promise<ReportData> {
  const { platform } = await discoverAndVerify(prepared);
  const bootable = bootableConfiguration(prepared, platform) as { readonly hash: string };
  const drivers: AmdIommuDriver[] = [];
  const requests: PluginRequest[] = prepared.requests.map((request) =>
    request.plugin === (iommuAmdPlugin as NovakitPlugin<unknown>)
      ? { ...request, plugin: createIommuAmdPlugin({ onDriver: (driver) => drivers.push(driver) }) as NovakitPlugin<unknown> }
      : request,
  );
  const kernel = createKernel({
    config: prepared.config,
    plugins: requests,
    configDir: prepared.source.dir,
    configFile: prepared.source.label,
    ...(seed === undefined ? {} : { seed }),
  });
  const created: ObjectCreatedEvent[] = [];
  const delegated: DelegationEvent[] = [];
  const measured: MeasureEvent[] = [];
  kernel.hooks.objectCreated.tap(TAP_NAME, (event) => void created.push(event));
  kernel.hooks.delegated.tap(TAP_NAME, (event) => void delegated.push(event));
  kernel.hooks.measure.tap(TAP_NAME, (event) => void measured.push(event));
  const result = await kernel.boot();
  const state = kernel.internals.state;
  if (state === undefined) throw new Error("the kernel booted without creating its state");

  const domainPds = result.domains.map((domain) => ({ pd: domain.pd, name: domain.name }));
  const rootPd = state.rootPd;
  const mappedPds = rootPd === undefined ? domainPds : [{ pd: rootPd.id, name: "root" }, ...domainPds];
  const pdNames = new Map(result.domains.map((domain) => [domain.pd, domain.name]));
  const spaceOwners = new Map(kernel.memorySpaces().map((space) => [space.id, pdNames.get(space.pdId) ?? `PD ${space.pdId}`]));
  const functions = platform.pci.filter((fn) => fn.dmaCapable);
  const reach = kernel.hooks.dmaReach.call({ devices: functions.map(sbdfOf) });

  return {
    header: {
      configName: result.configName,
      configLabel: prepared.source.label,
      configHash: bootable.hash,
      novakitVersion: cliVersion(),
      novaModelVersion: NOVA_MODEL_VERSION,
      seed: result.seed,
      platform: result.platform.name,
      arch: result.platform.arch,
      cpu: result.platform.cpu.name,
      plugins: result.plugins,
      stats: result.stats,
    },
    domains: result.domains,
    graph: capabilityGraphOf(state, result, created, delegated),
    memoryMaps: memoryMapsOf(kernel, mappedPds),
    iommus: iommuAssignmentsOf(result.platform, prepared.config, reach, amdDteReader(drivers[0]), spaceOwners),
    faults: faultTimelineOf(result),
    measurements: measurementsOf(result, measured, launchPrediction(prepared, platform, cwd, result.pluginReports[TXT_LAUNCH_PLUGIN_NAME])),
    isolation: isolationReport(kernel, result, prepared.config),
    log: result.log,
  };
}

/** `measure`'s prediction for the banks the boot's TPM reported; undefined without a launch plugin. */
function launchPrediction(
  prepared: PreparedConfiguration,
  platform: Parameters<typeof predictLaunch>[1],
  cwd: string,
  figures: Readonly<Record<string, unknown>> | undefined,
): ReturnType<typeof predictLaunch> | undefined {
  const entry = prepared.plugins.find((resolved) => resolved.plugin.name === TXT_LAUNCH_PLUGIN_NAME);
  if (entry === undefined || figures === undefined) return undefined;
  const banks = HASH_ALGORITHMS.filter((bank) => typeof figures[`${bank}.pcr17`] === "string");
  return predictLaunch(prepared, platform, launchOptionsWith(entry, {}, cwd), banks);
}
