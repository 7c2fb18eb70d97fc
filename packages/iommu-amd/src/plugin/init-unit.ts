import { DEVICE_TABLE_ENTRIES } from "../device-table/device-table.js";
import { IommuPluginDiagnostic, iommuPluginError } from "./iommu-plugin-diagnostics.js";
import {
  ControlBit,
  DEVICE_TABLE_SIZE_FIELD,
  EfrBit,
  hatsOf,
  MmioRegister,
  QUEUE_LENGTH_LOG2,
  StatusBit,
  VEC_FLT,
} from "./mmio-registers.js";
import { invalidateDevtabEntry, invalidateDomainPages, invalidateIommuAll, type CommandWords } from "./nova-commands.js";
import type { SmmuUnit } from "./smmu-unit.js";
import { spinUntil } from "./spin-wait.js";

/** Decisions NOVA makes once for all units before `init()` (nova.md §4.4 steps 1-2). */
export interface UnitInitEnvironment {
  /** interrupt remapping on: every unit has GASup (step 1) */
  readonly interruptRemapping: boolean;
  /** the LAPICs run in x2APIC mode (the CPU has X2APIC); a unit also needs XTSup (step 2) */
  readonly x2apicLapics: boolean;
  /** x2APIC id of the bootstrap CPU, the destination of the fault interrupt (step 6) */
  readonly bspApicId: number;
  /** CPU whose doorbell the first invalidation rings */
  readonly cpu: number;
}

/** what init() chose for a unit, for the boot log */
export interface UnitInitSummary {
  readonly x2apic: boolean;
  readonly invalidation: "INVALIDATE_IOMMU_ALL" | "DEVTAB+PAGES";
  readonly commandsSubmitted: number;
}

/**
 * NOVA's `Smmu_amd::init()` for one unit (nova.md §4.4), every step through MMIO writes:
 * EFR checks (step 4; the PCI capability checks need a config space the simulator does not
 * model), disable and wait for the Run bits to clear (5), the fault interrupt (6), the three
 * base registers with NOVA's sizes (7), no exclusion range (8), PERF_OPT_CTRL = 0 with
 * PerfOptSup (9), enable with NOVA's Control bits and wait for the Run bits (10), then
 * invalidate everything (11). Throws NK-IOMMU-304/305 where NOVA's init returns false.
 */
export function initializeUnit(unit: SmmuUnit, environment: UnitInitEnvironment): UnitInitSummary {
  const hardware = unit.hardware;
  const where = { field: unit.name };

  // step 4: a 11h/40h block carries the EFR images, which must match what the unit reports
  if (unit.ivhd.efr !== undefined) {
    const efr = hardware.mmioRead64(MmioRegister.EFR);
    const efr2 = hardware.mmioRead64(MmioRegister.EFR2);
    if (efr !== unit.efr || efr2 !== unit.efr2) {
      throw iommuPluginError(
        IommuPluginDiagnostic.UNSUPPORTED_UNIT,
        `${unit.name}: MMIO EFR 0x${efr.toString(16)}:0x${efr2.toString(16)} differs from the IVRS image 0x${unit.efr.toString(16)}:0x${unit.efr2.toString(16)}`,
        where,
      );
    }
  }
  if (hatsOf(unit.efr) === 3) {
    throw iommuPluginError(IommuPluginDiagnostic.UNSUPPORTED_UNIT, `${unit.name}: EFR.HATS is 11b, the unit has no host translation`, where);
  }

  // step 5: disable, then wait until the command buffer and event log stopped
  hardware.mmioWrite64(MmioRegister.CONTROL, 0n);
  const running = StatusBit.CMD_BUF_RUN | StatusBit.EVENT_LOG_RUN;
  if (!spinUntil(() => (hardware.mmioRead64(MmioRegister.STATUS) & running) === 0n)) {
    throw iommuPluginError(IommuPluginDiagnostic.INIT_FAILED, `${unit.name}: CmdBufRun/EvtLogRun still set 5 ms after Control = 0`, where);
  }

  // step 6: the fault interrupt, vector VEC_FLT to the BSP. Without x2APIC NOVA programs the
  // unit's PCI MSI capability, which lives in config space (not modelled): nothing to write here.
  const x2apic = environment.x2apicLapics && (unit.efr & EfrBit.XT_SUP) !== 0n;
  if (x2apic) {
    const id = BigInt(environment.bspApicId >>> 0);
    const icr = (BigInt(VEC_FLT) << 32n) | ((id & 0xff_ffffn) << 8n) | ((id >> 24n) << 56n);
    hardware.mmioWrite64(MmioRegister.XT_GEN_INT_CTRL, icr);
    hardware.mmioWrite64(MmioRegister.XT_PPR_INT_CTRL, icr);
    hardware.mmioWrite64(MmioRegister.XT_GALOG_INT_CTRL, icr);
  }

  // step 7: the three bases; each write resets that queue's head and tail to 0
  hardware.mmioWrite64(MmioRegister.DEV_TBL_BASE, unit.deviceTable.base | DEVICE_TABLE_SIZE_FIELD);
  hardware.mmioWrite64(MmioRegister.CMD_BUF_BASE, (BigInt(QUEUE_LENGTH_LOG2) << 56n) | unit.queue.base);
  hardware.mmioWrite64(MmioRegister.EVT_LOG_BASE, (BigInt(unit.eventLog.lengthLog2) << 56n) | unit.eventLog.base);
  unit.queue.reset();
  unit.eventLog.reset();

  // step 8: no exclusion range
  hardware.mmioWrite64(MmioRegister.EXCL_BASE, 0n);

  // step 9: PerfOptEn = 0 disables the GPA=HPA bypass
  if ((unit.efr & EfrBit.PERF_OPT_SUP) !== 0n) writePerfOptControl(unit, 0n);

  // step 10: enable, then wait for both Run bits
  let control = ControlBit.CMD_BUF_EN | ControlBit.COHERENT | ControlBit.EVENT_INT_EN | ControlBit.EVENT_LOG_EN | ControlBit.IOMMU_EN;
  if (x2apic) control |= ControlBit.INT_CAP_XT_EN | ControlBit.XT_EN;
  if (environment.interruptRemapping) control |= ControlBit.GA_EN;
  hardware.mmioWrite64(MmioRegister.CONTROL, control);
  if (!spinUntil(() => (hardware.mmioRead64(MmioRegister.STATUS) & running) === running)) {
    throw iommuPluginError(IommuPluginDiagnostic.INIT_FAILED, `${unit.name}: CmdBufRun/EvtLogRun not set 5 ms after enabling`, where);
  }

  // step 11: invalidate everything the unit might have cached
  const iaSup = (unit.efr & EfrBit.IA_SUP) !== 0n;
  const commands: CommandWords[] = iaSup ? [invalidateIommuAll()] : invalidateEachEntry();
  if (!unit.submit(commands, environment.cpu)) {
    throw iommuPluginError(IommuPluginDiagnostic.INIT_FAILED, `${unit.name}: the initial invalidation timed out`, where, "Faulty HW?");
  }
  return { x2apic, invalidation: iaSup ? "INVALIDATE_IOMMU_ALL" : "DEVTAB+PAGES", commandsSubmitted: commands.length };
}

/** Without IASup: every DeviceID's DTE, then every DomainID's pages (nova.md §4.4 step 11). */
function invalidateEachEntry(): CommandWords[] {
  const commands: CommandWords[] = [];
  for (let bdf = 0; bdf < DEVICE_TABLE_ENTRIES; bdf++) commands.push(invalidateDevtabEntry(bdf));
  for (let domain = 0; domain <= 0xffff; domain++) commands.push(invalidateDomainPages(domain));
  return commands;
}

/**
 * PERF_OPT_CTRL (016Ch) is a 32-bit register (NOVA stores 32 bits); with only 64-bit MMIO
 * access the driver rewrites the qword at 0168h keeping its low half (the MSI mirror).
 */
function writePerfOptControl(unit: SmmuUnit, value: bigint): void {
  const hardware = unit.hardware;
  if (hardware.mmioWrite32 !== undefined) {
    hardware.mmioWrite32(MmioRegister.PERF_OPT_CTRL, Number(value));
    return;
  }
  const qword = MmioRegister.PERF_OPT_CTRL & ~7;
  const low = hardware.mmioRead64(qword) & 0xffff_ffffn;
  hardware.mmioWrite64(qword, low | (value << 32n));
}
