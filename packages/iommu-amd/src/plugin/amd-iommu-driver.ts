import type {
  DmaReachReport,
  DmaReachRequest,
  DmaRequest,
  DmaResult,
  HypercallInvocation,
  HypercallOutcome,
  KernelHooks,
  KernelServices,
  MappingEvent,
  Platform,
} from "@novakit/kernel-core";
import type { IvhdBlock } from "../ivrs/ivrs-types.js";
import { assignDevice } from "./assign-device.js";
import { bringUpUnits, type HardwareFactory } from "./bring-up.js";
import { dmaReachReport } from "./dma-reach-report.js";
import { translateDeviceDma } from "./dma-translation-tap.js";
import { DriverState } from "./driver-state.js";
import { handleSmmuInterrupt } from "./fault-handler.js";
import { firmwareIvhdBlocks, novaPageTableLevels } from "./firmware-ivhd.js";
import { IommuPluginDiagnostic, iommuPluginError } from "./iommu-plugin-diagnostics.js";
import type { IommuAmdOptions } from "./plugin-options.js";
import type { SmmuUnit } from "./smmu-unit.js";
import { invalidateUnmapped } from "./unmap-invalidation.js";

/** What the boot summary and tests read from a running driver. */
export interface IommuAmdStatistics {
  readonly units: number;
  /** events the fault handler consumed from the event logs */
  readonly eventsLogged: number;
  /** events the hardware dropped because a log was full (summed over the units) */
  readonly eventsDropped: number;
  /** DMA requests the hardware aborted (summed over the units) */
  readonly faults: number;
  readonly overflowRestarts: number;
  readonly commandQueueRestarts: number;
  readonly invalidationTimeouts: number;
  /** successful device table swaps (assign_dev) */
  readonly assignments: number;
  /** unmapped DMA blocks whose invalidation timed out, their page tables kept quarantined */
  readonly quarantinedBlocks: number;
}

/**
 * NOVA's AMD IOMMU driver for one kernel: the phases and runtime hooks of @novakit/iommu-amd
 * call into it. It talks to the units only through MMIO, the command queues, the event logs
 * and the device table in physical memory.
 */
export class AmdIommuDriver {
  private readonly state: DriverState;
  private blocks: readonly IvhdBlock[] = [];

  constructor(
    kernel: KernelServices,
    hooks: KernelHooks,
    options: IommuAmdOptions,
    private readonly createHardware: HardwareFactory,
  ) {
    this.state = new DriverState(kernel, hooks, options);
  }

  /** the units, in IVHD selection order (empty before the iommu phase and with nosmmu) */
  get units(): readonly SmmuUnit[] {
    return this.state.units;
  }

  /** DMA remapping is on */
  get enabled(): boolean {
    return this.state.enabled;
  }

  /** DTE Mode / DMA page-table levels: min(5, 4 + HATS) */
  get pageTableLevels(): number {
    return this.state.pageTableLevels;
  }

  /**
   * memory phase: read the IVRS and choose the DMA-space format's depth. Without an IVRS the
   * plugin cannot do anything: NK-IOMMU-301 (or -302 for an IVRS without IVHD).
   */
  prepare(platform: Platform): number {
    const blocks = firmwareIvhdBlocks(platform);
    if (blocks === undefined) {
      throw iommuPluginError(
        IommuPluginDiagnostic.NO_IVRS,
        `platform ${platform.name} has no IVRS table: there is no AMD IOMMU to drive`,
        { field: "plugins[@novakit/iommu-amd]" },
        'disable the plugin ({ name: "@novakit/iommu-amd", enabled: false }) or boot with "nosmmu"',
      );
    }
    if (blocks.length === 0) {
      throw iommuPluginError(IommuPluginDiagnostic.NO_IVHD, `the IVRS of platform ${platform.name} describes no IOMMU (no IVHD block)`, {
        field: "platform.firmware.tables IVRS",
      });
    }
    this.blocks = blocks;
    this.state.pageTableLevels = novaPageTableLevels(blocks);
    return this.state.pageTableLevels;
  }

  /** iommu phase: create and initialise every unit (nova.md §4.2-§4.4) */
  bringUp(platform: Platform): void {
    bringUpUnits(this.state, platform, this.blocks, this.createHardware);
    this.state.enabled = true;
  }

  assignDev(invocation: HypercallInvocation): HypercallOutcome | undefined {
    return this.state.enabled ? assignDevice(this.state, invocation) : undefined;
  }

  unmapped(event: MappingEvent): void {
    invalidateUnmapped(this.state, event);
  }

  translate(request: DmaRequest): DmaResult | undefined {
    return translateDeviceDma(this.state, request);
  }

  /**
   * A CPU takes the SMMU interrupt if one is pending (the `tick` hook): consume events, restart
   * halted queues and logs. `force` runs the handler regardless (shutdown drains the logs).
   */
  handleInterrupt(force = false): void {
    if (!this.state.enabled || (!force && !this.state.interruptPending)) return;
    this.state.interruptPending = false;
    handleSmmuInterrupt(this.state);
  }

  reach(request: DmaReachRequest): DmaReachReport | undefined {
    return dmaReachReport(this.state, request);
  }

  statistics(): IommuAmdStatistics {
    let eventsDropped = 0;
    let faults = 0;
    for (const unit of this.state.units) {
      const stats = unit.hardware.stats?.();
      eventsDropped += stats?.droppedEvents ?? 0;
      faults += stats?.faults ?? 0;
    }
    const counters = this.state.counters;
    return {
      units: this.state.units.length,
      eventsLogged: counters.eventsLogged,
      eventsDropped,
      faults,
      overflowRestarts: counters.overflowRestarts,
      commandQueueRestarts: counters.commandQueueRestarts,
      invalidationTimeouts: counters.invalidationTimeouts,
      assignments: counters.assignments,
      quarantinedBlocks: counters.quarantinedBlocks,
    };
  }
}
