import type { Platform, PhysicalMemory } from "@novakit/kernel-core";
import { DeviceTable, DEVICE_TABLE_ENTRIES, DTE_BYTES } from "../device-table/device-table.js";
import type { IvhdBlock } from "../ivrs/ivrs-types.js";
import { CompletionDoorbells } from "./completion-doorbells.js";
import type { DriverState } from "./driver-state.js";
import { formatSbdf } from "./fault-report.js";
import type { IommuHardware } from "./iommu-hardware.js";
import { IommuPluginDiagnostic, iommuPluginError } from "./iommu-plugin-diagnostics.js";
import { initializeUnit, type UnitInitEnvironment } from "./init-unit.js";
import { EfrBit, hatsOf, QUEUE_ENTRIES } from "./mmio-registers.js";
import { SmmuUnit } from "./smmu-unit.js";

/** What the driver hands the hardware factory for one IVHD (the AmdIommu constructor's options). */
export interface HardwareSetup {
  readonly memory: PhysicalMemory;
  readonly mmioBase: bigint;
  readonly segment: number;
  readonly deviceId: number;
  readonly efr: bigint;
  readonly efr2: bigint;
  readonly iotlbCapacity?: number;
  /** fault injection: the unit's command processor stalls after this many commands (AmdIommuOptions) */
  readonly stallAfterCommands?: number;
  /** the unit raises its interrupt (an event was logged or the log overflowed, with EventIntEn) */
  readonly onInterrupt: () => void;
}

export type HardwareFactory = (setup: HardwareSetup) => IommuHardware;

/** 2 MiB device table (order 9) and 4 KiB queues (order 0), nova.md §4.3 */
const DEVICE_TABLE_FRAMES = 512;

/**
 * The `iommu` phase (nova.md §4.2, §4.4): one SMMU per selected IVHD; the first of a PCI segment
 * allocates the segment's 2 MiB device table (every entry deny), later ones share it; each gets
 * its own command queue and event log; one page of per-CPU doorbells serves all. Interrupt
 * remapping is off ("noir") unless every unit has GASup, and then the first unit of each segment
 * turns the interrupt halves to pass-through. Then init() runs per unit and each is logged.
 */
export function bringUpUnits(state: DriverState, platform: Platform, blocks: readonly IvhdBlock[], createHardware: HardwareFactory): void {
  const kernel = state.kernel;
  const memory = kernel.physicalMemory;
  // `site` names the allocation for the kernel's allocation policy (fault injection reports)
  const allocate = (frames: number, what: string, site: string): bigint => {
    const base = kernel.allocateKernelFrames(frames, frames, site);
    if (base === undefined) {
      throw iommuPluginError(IommuPluginDiagnostic.OUT_OF_KERNEL_MEMORY, `no kernel memory left for ${what} (${frames} frame${frames === 1 ? "" : "s"})`, { field: "iommu" });
    }
    return base;
  };
  const doorbells = new CompletionDoorbells(memory, allocate(1, "the SMMU completion doorbells", "iommu:doorbells"), platform.cpus.length);
  const interruptRemapping = blocks.every((block) => ((block.efr ?? 0n) & EfrBit.GA_SUP) !== 0n);
  const tables = new Map<number, DeviceTable>();
  // NOVA's log: one 4 KiB page of 256 entries (QUEUE_ENTRIES)
  const eventLogEntries = state.options.eventLogEntries ?? QUEUE_ENTRIES;

  for (const block of blocks) {
    let deviceTable = tables.get(block.pciSegment);
    const firstOfSegment = deviceTable === undefined;
    if (deviceTable === undefined) {
      deviceTable = new DeviceTable(memory, allocate(DEVICE_TABLE_FRAMES, `the device table of segment ${block.pciSegment}`, "iommu:devtab"));
      deviceTable.denyAll();
      if (!interruptRemapping) interruptHalvesPassThrough(memory, deviceTable);
      tables.set(block.pciSegment, deviceTable);
    }
    const hardware = createHardware({
      memory,
      mmioBase: block.baseAddress,
      segment: block.pciSegment,
      deviceId: block.deviceId,
      efr: block.efr ?? 0n,
      efr2: block.efr2 ?? 0n,
      onInterrupt: () => {
        state.interruptPending = true;
      },
      ...(state.options.iotlbCapacity !== undefined ? { iotlbCapacity: state.options.iotlbCapacity } : {}),
      ...(state.options.faultInjection?.stallCommandsAfter !== undefined ? { stallAfterCommands: state.options.faultInjection.stallCommandsAfter } : {}),
    });
    const unit = new SmmuUnit({
      hardware,
      memory,
      ivhd: block,
      deviceTable,
      firstOfSegment,
      commandQueueBase: allocate(1, `the command queue of the SMMU at 0x${block.baseAddress.toString(16)}`, "iommu:cmdbuf"),
      // 16-byte entries: 256 per frame, the ring naturally aligned to its size
      eventLogBase: allocate(eventLogEntries / 256, `the event log of the SMMU at 0x${block.baseAddress.toString(16)}`, "iommu:evtlog"),
      eventLogEntries,
      doorbells,
    });
    state.addUnit(unit);
  }

  const bsp = platform.cpus.find((cpu) => cpu.enabled) ?? platform.cpus[0];
  const environment: UnitInitEnvironment = {
    interruptRemapping,
    x2apicLapics: platform.cpu.features.includes("X2APIC"),
    bspApicId: bsp?.hardwareId ?? 0,
    cpu: bsp?.index ?? 0,
  };
  for (const unit of state.units) {
    const summary = initializeUnit(unit, environment);
    kernel.log(
      `SMMU: 0x${unit.mmioBase.toString(16)} ${formatSbdf(unit.segment, unit.ivhd.deviceId)} IVHD ${unit.ivhd.type.toString(16)}h ` +
        `EFR 0x${unit.efr.toString(16)}:0x${unit.efr2.toString(16)} HATS ${hatsOf(unit.efr)} ptl ${state.pageTableLevels} ` +
        `${environment.interruptRemapping ? "IR" : "noir"} ${summary.x2apic ? "x2APIC" : "MSI"} ` +
        `DT 0x${unit.deviceTable.base.toString(16)}${unit.firstOfSegment ? "" : " (shared)"} inv ${summary.invalidation}`,
    );
  }
}

/**
 * "No IR" (nova.md §4.3, §4.4 step 3): the first SMMU of a segment swaps every interrupt half
 * (DTE bits 255:128) from deny to 0, so interrupts pass untranslated.
 */
function interruptHalvesPassThrough(memory: PhysicalMemory, table: DeviceTable): void {
  for (let bdf = 0; bdf < DEVICE_TABLE_ENTRIES; bdf++) {
    const at = table.base + BigInt(bdf * DTE_BYTES);
    if (memory.read64(at + 16n) === 1n && memory.read64(at + 24n) === 0n) memory.write64(at + 16n, 0n);
  }
}
