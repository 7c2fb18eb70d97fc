import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "@novakit/kernel-core";
import { DeviceTable } from "../device-table/device-table.js";
import type { IvhdBlock } from "../ivrs/ivrs-types.js";
import { AmdIommu } from "../unit/amd-iommu.js";
import { CompletionDoorbells } from "./completion-doorbells.js";
import type { IommuHardware } from "./iommu-hardware.js";
import { initializeUnit } from "./init-unit.js";
import { ControlBit, EfrBit, MmioRegister, StatusBit } from "./mmio-registers.js";
import { SmmuUnit } from "./smmu-unit.js";

const MMIO_BASE = 0xfd20_0000n;
const DEVICE_TABLE = 0x20_0000n;
const COMMAND_QUEUE = 0x40_0000n;
const EVENT_LOG = 0x40_1000n;
const DOORBELLS = 0x40_2000n;

function ivhd(type: 0x10 | 0x11 | 0x40, efr?: bigint): IvhdBlock {
  return {
    kind: "ivhd",
    type,
    flags: 0,
    deviceId: 0x0002,
    capabilityOffset: 0x40,
    baseAddress: MMIO_BASE,
    pciSegment: 0,
    iommuInfo: 0,
    featureReporting: 0,
    ...(efr !== undefined ? { efr, efr2: 0n } : {}),
    entries: [],
    offset: 48,
    length: type === 0x10 ? 24 : 40,
  };
}

function unitFor(block: IvhdBlock, wrap: (hardware: AmdIommu) => IommuHardware = (hardware) => hardware) {
  const memory = new PhysicalMemory();
  const deviceTable = new DeviceTable(memory, DEVICE_TABLE);
  deviceTable.denyAll();
  const model = new AmdIommu({ memory, mmioBase: MMIO_BASE, segment: 0, deviceId: 2, efr: block.efr ?? 0n, efr2: block.efr2 ?? 0n });
  const unit = new SmmuUnit({
    hardware: wrap(model),
    memory,
    ivhd: block,
    deviceTable,
    firstOfSegment: true,
    commandQueueBase: COMMAND_QUEUE,
    eventLogBase: EVENT_LOG,
    doorbells: new CompletionDoorbells(memory, DOORBELLS, 4),
  });
  return { memory, model, unit };
}

const environment = { interruptRemapping: true, x2apicLapics: true, bspApicId: 0x1_0203, cpu: 0 };

describe("NOVA's init() sequence through MMIO (nova.md §4.4)", () => {
  it("with IASup, GASup, XTSup and PerfOptSup: bases, x2APIC ICRs, Control bits, one INVALIDATE_IOMMU_ALL", () => {
    const efr = EfrBit.IA_SUP | EfrBit.GA_SUP | EfrBit.XT_SUP | EfrBit.PERF_OPT_SUP | (2n << 10n);
    const { model, unit, memory } = unitFor(ivhd(0x11, efr));
    const summary = initializeUnit(unit, environment);
    expect(summary).toEqual({ x2apic: true, invalidation: "INVALIDATE_IOMMU_ALL", commandsSubmitted: 1 });
    expect(model.mmioRead64(MmioRegister.DEV_TBL_BASE)).toBe(DEVICE_TABLE | 0x1ffn);
    expect(model.mmioRead64(MmioRegister.CMD_BUF_BASE)).toBe((8n << 56n) | COMMAND_QUEUE);
    expect(model.mmioRead64(MmioRegister.EVT_LOG_BASE)).toBe((8n << 56n) | EVENT_LOG);
    expect(model.mmioRead64(MmioRegister.EXCL_BASE)).toBe(0n);
    expect(model.mmioRead32(MmioRegister.PERF_OPT_CTRL)).toBe(0);
    // vector 255 at 39:32, BSP id 0x10203: low 24 bits at 31:8, high 8 at 63:56
    expect(model.mmioRead64(MmioRegister.XT_GEN_INT_CTRL)).toBe((255n << 32n) | (0x1_0203n << 8n));
    expect(model.mmioRead64(MmioRegister.CONTROL)).toBe(
      ControlBit.INT_CAP_XT_EN | ControlBit.XT_EN | ControlBit.GA_EN | ControlBit.CMD_BUF_EN | ControlBit.COHERENT | ControlBit.EVENT_INT_EN | ControlBit.EVENT_LOG_EN | ControlBit.IOMMU_EN,
    );
    const status = model.mmioRead64(MmioRegister.STATUS);
    expect(status & (StatusBit.CMD_BUF_RUN | StatusBit.EVENT_LOG_RUN)).toBe(StatusBit.CMD_BUF_RUN | StatusBit.EVENT_LOG_RUN);
    // INVALIDATE_IOMMU_ALL + the COMPLETION_WAIT; the doorbell of CPU 0 holds sequence 1
    expect(model.stats().commandsProcessed).toBe(2);
    expect(memory.read64(DOORBELLS)).toBe(1n);
    expect(model.mmioRead64(MmioRegister.CMD_HEAD)).toBe(model.mmioRead64(MmioRegister.CMD_TAIL));
  });

  it("without IASup: every DeviceID and every DomainID in batches of 254 plus a COMPLETION_WAIT", () => {
    const { model, unit } = unitFor(ivhd(0x10));
    const summary = initializeUnit(unit, { ...environment, interruptRemapping: false });
    expect(summary.invalidation).toBe("DEVTAB+PAGES");
    expect(summary.x2apic).toBe(false);
    const batches = Math.ceil((2 * 65536) / 254);
    expect(model.stats().commandsProcessed).toBe(2 * 65536 + batches);
    expect(model.mmioRead64(MmioRegister.CONTROL)).toBe(ControlBit.CMD_BUF_EN | ControlBit.COHERENT | ControlBit.EVENT_INT_EN | ControlBit.EVENT_LOG_EN | ControlBit.IOMMU_EN);
    expect(model.mmioRead64(MmioRegister.XT_GEN_INT_CTRL)).toBe(0n);
  });

  it("fails with NK-IOMMU-304 when the Run bits never follow Control", () => {
    const { unit } = unitFor(ivhd(0x10), (model) => ({
      mmioRead64: (offset) => (offset === MmioRegister.STATUS ? 0n : model.mmioRead64(offset)),
      mmioWrite64: (offset, value) => model.mmioWrite64(offset, value),
      translate: (request) => model.translate(request),
      stallCommands: false,
    }));
    expect(() => initializeUnit(unit, environment)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-304" }));
  });

  it("fails with NK-IOMMU-304 when the first invalidation never completes (stalled queue)", () => {
    const { unit, model } = unitFor(ivhd(0x11, EfrBit.IA_SUP));
    model.stallCommands = true;
    expect(() => initializeUnit(unit, environment)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-304" }));
  });

  it("refuses HATS = 11b and an MMIO EFR that differs from the IVRS image (NK-IOMMU-305)", () => {
    expect(() => initializeUnit(unitFor(ivhd(0x11, 3n << 10n)).unit, environment)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-305" }));
    const { unit } = unitFor(ivhd(0x40, EfrBit.IA_SUP), (model) => ({
      mmioRead64: (offset) => (offset === MmioRegister.EFR ? 0n : model.mmioRead64(offset)),
      mmioWrite64: (offset, value) => model.mmioWrite64(offset, value),
      translate: (request) => model.translate(request),
      stallCommands: false,
    }));
    expect(() => initializeUnit(unit, environment)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-305" }));
  });
});
