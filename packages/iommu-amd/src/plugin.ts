import { definePlugin, type NovakitPlugin } from "@novakit/kernel-core";
import { createAmdDptFormat } from "./dpt/amd-dpt-format.js";
import { AmdIommuDriver } from "./plugin/amd-iommu-driver.js";
import type { HardwareFactory } from "./plugin/bring-up.js";
import { firmwareIvhdBlocks, iommuUnitsOf } from "./plugin/firmware-ivhd.js";
import { iommuAmdOptionsSchema, type IommuAmdOptions } from "./plugin/plugin-options.js";
import { AmdIommu } from "./unit/amd-iommu.js";

export const IOMMU_AMD_PLUGIN_NAME = "@novakit/iommu-amd";
export const IOMMU_AMD_PLUGIN_VERSION = "0.1.0";

/** Hooks into the plugin's per-kernel driver, for tests, benchmarks and tools. */
export interface IommuAmdPluginObserver {
  /** called once per kernel, during register(), with that kernel's driver */
  readonly onDriver?: (driver: AmdIommuDriver) => void;
  /** replaces the hardware model (fault injection around AmdIommu); the default builds an AmdIommu */
  readonly createHardware?: HardwareFactory;
}

const amdIommuHardware: HardwareFactory = (setup) => new AmdIommu(setup);

/**
 * NOVA's AMD IOMMU driver as a plugin (reference/nova.md §4):
 * - discover: the selected IVHD blocks become platform.iommus (the arch plugin leaves them to us);
 * - memory: the DMA-space format, AMD I/O page tables of min(5, 4 + HATS) levels;
 * - iommu: the units up, every device denied (unless the command line says `nosmmu`);
 * - runtime: assign_dev, IOTLB invalidation on unmap, the `dma` translation, the SMMU interrupt
 *   on `tick` and at `shutdown`, and `dmaReach` for `novakit check --isolation`.
 */
export function createIommuAmdPlugin(observer: IommuAmdPluginObserver = {}): NovakitPlugin<IommuAmdOptions> {
  return definePlugin<IommuAmdOptions>({
    name: IOMMU_AMD_PLUGIN_NAME,
    version: IOMMU_AMD_PLUGIN_VERSION,
    kind: "iommu",
    description: "AMD IOMMU (AMD-Vi): IVRS, device tables, I/O page tables, command queue, event log, assign_dev, DMA fault logging",
    constraints: { arch: ["x86_64"], vendor: ["amd"] },
    options: iommuAmdOptionsSchema,
    register(context) {
      const name = context.pluginName;
      const kernel = context.kernel;
      const driver = new AmdIommuDriver(kernel, context.hooks, context.options, observer.createHardware ?? amdIommuHardware);
      const remapping = (): boolean => !kernel.cmdlineOption("nosmmu");
      observer.onDriver?.(driver);

      // after the arch plugin built the platform (stage > 0)
      context.hooks.discover.tapPromise({ name, stage: 100 }, async (discover) => {
        const platform = discover.platform;
        if (platform === undefined || platform.iommus.some((unit) => unit.kind === "amd-vi")) return;
        const blocks = firmwareIvhdBlocks(platform);
        if (blocks !== undefined) discover.platform = { ...platform, iommus: [...platform.iommus, ...iommuUnitsOf(blocks)] };
      });

      context.hooks.memory.tapPromise(name, async (memory) => {
        if (!remapping()) return;
        memory.registerFormat("DMA", createAmdDptFormat({ levels: driver.prepare(memory.platform) }));
      });

      context.hooks.iommu.tapPromise(name, async (iommu) => {
        if (!remapping()) {
          iommu.kernel.log("SMMU: nosmmu: DMA remapping is off, device DMA is untranslated");
          return;
        }
        driver.bringUp(iommu.platform);
      });

      context.hooks.hypercall.for("assign_dev").tap(name, (invocation) => driver.assignDev(invocation));
      context.hooks.unmapped.tap(name, (event) => driver.unmapped(event));
      context.hooks.dma.tap(name, (request) => driver.translate(request));
      context.hooks.dmaReach.tap(name, (request) => driver.reach(request));
      context.hooks.tick.tap(name, () => driver.handleInterrupt());
      context.hooks.shutdown.tap(name, () => {
        if (!driver.enabled) return;
        driver.handleInterrupt(true);
        const stats = driver.statistics();
        kernel.log(
          `SMMU: ${stats.units} unit(s), ${stats.faults} DMA fault(s), ${stats.eventsLogged} event(s) logged, ${stats.eventsDropped} dropped (log full), ${stats.overflowRestarts} overflow restart(s)`,
        );
      });
      // the same counters for tools (the boot summary, reports): BootResult.pluginReports
      context.hooks.report.tap(name, (collector) => {
        if (driver.enabled) collector.file(name, { ...driver.statistics() });
      });
    },
  });
}

/** The plugin as configurations name it: "@novakit/iommu-amd". */
export const iommuAmdPlugin = createIommuAmdPlugin();
