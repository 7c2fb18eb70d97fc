import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "@novakit/kernel-core";
import { createUnit, ZEN_EFR } from "../unit/test-support/test-driver.js";
import { decodeDeviceTableBase, decodeRingBase, deviceTableEntries, encodeDeviceTableBase, encodeRingBase } from "./base-registers.js";
import { IommuControl } from "./control-bits.js";
import { EfrBit } from "./efr-bits.js";
import { IommuMmio } from "./mmio-offsets.js";
import { IommuStatus } from "./status-bits.js";

const ONES = (1n << 64n) - 1n;
/** EFR with HATS 0 and nothing else: a 16 KiB window, no PerfOptSup */
const PLAIN_EFR = 0n;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("MMIO register map (amd-iommu.md §2.2)", () => {
  it("places every implemented register at its offset", () => {
    expect(IommuMmio).toEqual({
      DEV_TBL_BASE: 0x0000,
      CMD_BUF_BASE: 0x0008,
      EVT_LOG_BASE: 0x0010,
      CONTROL: 0x0018,
      EXCL_BASE: 0x0020,
      EXCL_LIMIT: 0x0028,
      EFR: 0x0030,
      PERF_OPT_CTRL: 0x016c,
      XT_GEN_INT_CTRL: 0x0170,
      XT_PPR_INT_CTRL: 0x0178,
      XT_GALOG_INT_CTRL: 0x0180,
      EFR2: 0x01a0,
      CMD_HEAD: 0x2000,
      CMD_TAIL: 0x2008,
      EVT_HEAD: 0x2010,
      EVT_TAIL: 0x2018,
      STATUS: 0x2020,
    });
  });

  it("EFR and EFR2 read the unit's values and ignore writes", () => {
    const unit = createUnit(new PhysicalMemory(), { efr2: 0x10n });
    unit.mmioWrite64(IommuMmio.EFR, 0n);
    unit.mmioWrite64(IommuMmio.EFR2, ONES);
    expect(unit.mmioRead64(IommuMmio.EFR)).toBe(ZEN_EFR);
    expect(unit.mmioRead64(IommuMmio.EFR2)).toBe(0x10n);
    expect(unit.mmioRead32(IommuMmio.EFR + 4)).toBe(0x000f_77ef);
  });

  it("masks reserved bits of the base, limit, ICR and pointer registers", () => {
    const unit = createUnit(new PhysicalMemory());
    const readBack = (offset: number, value: bigint): bigint => {
      unit.mmioWrite64(offset, value);
      return unit.mmioRead64(offset);
    };
    expect(readBack(IommuMmio.DEV_TBL_BASE, ONES)).toBe(0x000f_ffff_ffff_f1ffn); // 51:12 | 8:0
    expect(readBack(IommuMmio.CMD_BUF_BASE, ONES)).toBe(0x0f0f_ffff_ffff_f000n); // 59:56 | 51:12
    expect(readBack(IommuMmio.EVT_LOG_BASE, ONES)).toBe(0x0f0f_ffff_ffff_f000n);
    expect(readBack(IommuMmio.EXCL_BASE, ONES)).toBe(0x000f_ffff_ffff_f003n); // 51:12 | Allow | ExEn
    expect(readBack(IommuMmio.EXCL_LIMIT, 0n)).toBe(0xfffn); // 11:0 read as ones
    expect(readBack(IommuMmio.EXCL_LIMIT, 0x1234_5678n)).toBe(0x1234_5fffn);
    expect(readBack(IommuMmio.XT_GEN_INT_CTRL, ONES)).toBe(0xff00_01ff_ffff_ff04n);
    expect(readBack(IommuMmio.XT_PPR_INT_CTRL, ONES)).toBe(0xff00_01ff_ffff_ff04n);
    expect(readBack(IommuMmio.XT_GALOG_INT_CTRL, ONES)).toBe(0xff00_01ff_ffff_ff04n);
    expect(readBack(IommuMmio.CMD_HEAD, ONES)).toBe(0x7fff0n); // 18:4
    expect(readBack(IommuMmio.EVT_TAIL, ONES)).toBe(0x7fff0n);
  });

  it("CONTROL keeps reserved bits 21:18, 49 and 57 at zero", () => {
    const unit = createUnit(new PhysicalMemory());
    unit.mmioWrite64(IommuMmio.CMD_BUF_BASE, encodeRingBase({ base: 0x1_0000n, lengthCode: 8 }));
    unit.mmioWrite64(IommuMmio.EVT_LOG_BASE, encodeRingBase({ base: 0x1_1000n, lengthCode: 8 }));
    unit.mmioWrite64(IommuMmio.CONTROL, ONES);
    expect(unit.mmioRead64(IommuMmio.CONTROL)).toBe(ONES & ~(0xfn << 18n) & ~(1n << 49n) & ~(1n << 57n));
  });

  it("PERF_OPT_CTRL (016Ch, 32 bits) holds PerfOptEn only when EFR.PerfOptSup", () => {
    const supported = createUnit(new PhysicalMemory());
    supported.mmioWrite64(IommuMmio.PERF_OPT_CTRL, 0xffff_ffffn);
    expect(supported.mmioRead64(IommuMmio.PERF_OPT_CTRL)).toBe(0x2000n);
    expect(supported.mmioRead32(IommuMmio.PERF_OPT_CTRL)).toBe(0x2000);
    supported.mmioWrite32(IommuMmio.PERF_OPT_CTRL, 0);
    expect(supported.mmioRead32(IommuMmio.PERF_OPT_CTRL)).toBe(0);
    expect(code(() => supported.mmioWrite64(IommuMmio.PERF_OPT_CTRL, 1n << 32n))).toBe("NK-IOMMU-203");
    const unsupported = createUnit(new PhysicalMemory(), { efr: ZEN_EFR & ~EfrBit.PERF_OPT_SUP });
    unsupported.mmioWrite64(IommuMmio.PERF_OPT_CTRL, 0x2000n);
    expect(unsupported.mmioRead64(IommuMmio.PERF_OPT_CTRL)).toBe(0n);
  });

  it("STATUS: run bits are read-only, the others write-1-to-clear", () => {
    const unit = createUnit(new PhysicalMemory());
    unit.mmioWrite64(IommuMmio.STATUS, ONES);
    expect(unit.mmioRead64(IommuMmio.STATUS)).toBe(0n);
  });

  it("unimplemented registers read 0 and ignore writes", () => {
    const unit = createUnit(new PhysicalMemory());
    for (const offset of [0x0038, 0x0040, 0x00e0, 0x0100, 0x0150, 0x2030, 0x2070, 0x4000, 0x7_fff8]) {
      unit.mmioWrite64(offset, ONES);
      expect(unit.mmioRead64(offset)).toBe(0n);
    }
  });

  it("rejects offsets outside the window, misaligned accesses and values that do not fit", () => {
    const counters = createUnit(new PhysicalMemory()); // PCSup: 512 KiB window
    const plain = createUnit(new PhysicalMemory(), { efr: PLAIN_EFR, mmioBase: 0xfeb8_0000n }); // 16 KiB
    expect(code(() => plain.mmioRead64(0x4000))).toBe("NK-IOMMU-201");
    expect(code(() => counters.mmioRead64(0x8_0000))).toBe("NK-IOMMU-201");
    expect(code(() => counters.mmioRead64(-8))).toBe("NK-IOMMU-201");
    expect(code(() => counters.mmioRead64(1.5))).toBe("NK-IOMMU-201");
    expect(code(() => counters.mmioRead64(0x2004))).toBe("NK-IOMMU-202");
    expect(code(() => counters.mmioWrite32(0x2002, 0))).toBe("NK-IOMMU-202");
    expect(code(() => counters.mmioWrite64(IommuMmio.CONTROL, -1n))).toBe("NK-IOMMU-203");
    expect(code(() => counters.mmioWrite64(IommuMmio.CONTROL, 1n << 64n))).toBe("NK-IOMMU-203");
    expect(code(() => counters.mmioWrite32(IommuMmio.CONTROL, 0x1_0000_0000))).toBe("NK-IOMMU-203");
  });
});

describe("base registers (§2.3)", () => {
  it("writing a queue base resets that queue's head and tail to 0 (§2.3, nova.md §4.4 step 7)", () => {
    const unit = createUnit(new PhysicalMemory());
    for (const offset of [IommuMmio.CMD_HEAD, IommuMmio.CMD_TAIL, IommuMmio.EVT_HEAD, IommuMmio.EVT_TAIL]) unit.mmioWrite64(offset, 0x120n);
    unit.mmioWrite64(IommuMmio.CMD_BUF_BASE, encodeRingBase({ base: 0x1_0000n, lengthCode: 8 }));
    expect([unit.mmioRead64(IommuMmio.CMD_HEAD), unit.mmioRead64(IommuMmio.CMD_TAIL)]).toEqual([0n, 0n]);
    expect([unit.mmioRead64(IommuMmio.EVT_HEAD), unit.mmioRead64(IommuMmio.EVT_TAIL)]).toEqual([0x120n, 0x120n]);
    // a 32-bit write of the upper half (the length code) is a base write too
    unit.mmioWrite64(IommuMmio.CMD_TAIL, 0x40n);
    unit.mmioWrite32(IommuMmio.EVT_LOG_BASE + 4, 0x0900_0000);
    expect([unit.mmioRead64(IommuMmio.EVT_HEAD), unit.mmioRead64(IommuMmio.EVT_TAIL)]).toEqual([0n, 0n]);
    expect(unit.mmioRead64(IommuMmio.CMD_TAIL)).toBe(0x40n);
    expect(decodeRingBase(unit.mmioRead64(IommuMmio.EVT_LOG_BASE))).toEqual({ base: 0n, lengthCode: 9 });
  });

  it("encodes and decodes the base encodings", () => {
    expect(encodeDeviceTableBase({ base: 0x20_0000n, sizeField: 0x1ff })).toBe(0x20_01ffn);
    expect(decodeDeviceTableBase(0x20_01ffn)).toEqual({ base: 0x20_0000n, sizeField: 0x1ff });
    expect(deviceTableEntries(0x1ff)).toBe(65536);
    expect(deviceTableEntries(0)).toBe(128);
    // NOVA: (log2 entries = 8) << 56 | base (nova.md §4.3)
    expect(encodeRingBase({ base: 0x1_0000n, lengthCode: 8 })).toBe(0x0800_0000_0001_0000n);
    expect(code(() => encodeRingBase({ base: 0x1_0000n, lengthCode: 7 }))).toBe("NK-IOMMU-212");
    expect(code(() => encodeRingBase({ base: 0x1_0800n, lengthCode: 8 }))).toBe("NK-IOMMU-212");
    expect(code(() => encodeDeviceTableBase({ base: 0n, sizeField: 0x200 }))).toBe("NK-IOMMU-212");
  });
});

describe("control and status (§2.4, §2.5)", () => {
  function programmedUnit() {
    const unit = createUnit(new PhysicalMemory());
    unit.mmioWrite64(IommuMmio.CMD_BUF_BASE, encodeRingBase({ base: 0x1_0000n, lengthCode: 8 }));
    unit.mmioWrite64(IommuMmio.EVT_LOG_BASE, encodeRingBase({ base: 0x1_1000n, lengthCode: 8 }));
    return unit;
  }
  const status = (unit: ReturnType<typeof createUnit>) => unit.mmioRead64(IommuMmio.STATUS);

  it("CmdBufRun follows IommuEn && CmdBufEn; EventLogRun follows IommuEn && EventLogEn", () => {
    const unit = programmedUnit();
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.CMD_BUF_EN | IommuControl.EVENT_LOG_EN);
    expect(status(unit)).toBe(0n);
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.CMD_BUF_EN | IommuControl.EVENT_LOG_EN | IommuControl.IOMMU_EN);
    expect(status(unit)).toBe(IommuStatus.CMD_BUF_RUN | IommuStatus.EVENT_LOG_RUN);
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.EVENT_LOG_EN | IommuControl.IOMMU_EN);
    expect(status(unit)).toBe(IommuStatus.EVENT_LOG_RUN);
    unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.CMD_BUF_EN | IommuControl.EVENT_LOG_EN);
    expect(status(unit)).toBe(0n);
  });

  it("enabling a queue whose length code is reserved is NK-IOMMU-208", () => {
    const unit = createUnit(new PhysicalMemory());
    expect(code(() => unit.mmioWrite64(IommuMmio.CONTROL, IommuControl.CMD_BUF_EN | IommuControl.IOMMU_EN))).toBe("NK-IOMMU-208");
  });
});
