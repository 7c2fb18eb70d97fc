import { describe, expect, it } from "vitest";
import { cpuState } from "../test-support/cet-test-cpu.js";
import { CET_CONTROL_RESERVED, CetControl, CetMsr, CR4_CET, decodeCetControl, supervisorCetValue } from "./cet-registers.js";
import { writeCetControl } from "./write-cet-control.js";

describe("CET MSRs and bits (cet.md §1, §2)", () => {
  it("has the MSR numbers of cet.md §2", () => {
    expect(CetMsr).toEqual({
      IA32_U_CET: 0x6a0,
      IA32_S_CET: 0x6a2,
      IA32_PL0_SSP: 0x6a4,
      IA32_PL1_SSP: 0x6a5,
      IA32_PL2_SSP: 0x6a6,
      IA32_PL3_SSP: 0x6a7,
      IA32_INTERRUPT_SSP_TABLE_ADDR: 0x6a8,
    });
  });

  it.each([
    ["SH_STK_EN", 0],
    ["WR_SHSTK_EN", 1],
    ["ENDBR_EN", 2],
    ["LEG_IW_EN", 3],
    ["NO_TRACK_EN", 4],
    ["SUPPRESS_DIS", 5],
    ["SUPPRESS", 10],
    ["TRACKER", 11],
  ] as const)("%s is bit %i", (name, bit) => {
    expect(CetControl[name]).toBe(1n << BigInt(bit));
  });

  it("reserves bits 9:6 and puts CR4.CET at bit 23", () => {
    expect(CET_CONTROL_RESERVED).toBe(0x3c0n);
    expect(CR4_CET).toBe(0x80_0000n);
  });

  it("builds NOVA's S_CET per level: IBT 0x34, SSS 0x1, full 0x35, none 0", () => {
    expect(supervisorCetValue({ ibt: false, sss: false })).toBe(0n);
    expect(supervisorCetValue({ ibt: true, sss: false })).toBe(0x34n);
    expect(supervisorCetValue({ ibt: false, sss: true })).toBe(0x1n);
    expect(supervisorCetValue({ ibt: true, sss: true })).toBe(0x35n);
  });

  it("decodes every field, the legacy bitmap base from bits 63:12", () => {
    const fields = decodeCetControl(0xdead_b000n | CetControl.TRACKER | CetControl.SUPPRESS | 0x3fn);
    expect(fields).toEqual({
      shadowStack: true,
      writeShadowStack: true,
      endbranch: true,
      legacyBitmap: true,
      noTrack: true,
      suppressDisable: true,
      suppressed: true,
      waitForEndbranch: true,
      legacyBitmapBase: 0xdead_b000n,
    });
    expect(decodeCetControl(0x35n)).toMatchObject({ shadowStack: true, writeShadowStack: false, endbranch: true, legacyBitmap: false, noTrack: true, suppressDisable: true, waitForEndbranch: false });
  });

  it("refuses a write that sets a reserved bit (NK-CET-055) and stores a good one", () => {
    const state = cpuState();
    for (let bit = 6n; bit <= 9n; bit += 1n) {
      expect(() => writeCetControl(state, CetMsr.IA32_S_CET, 1n << bit)).toThrow(expect.objectContaining({ code: "NK-CET-055" }));
    }
    expect(state.msrs.has(CetMsr.IA32_S_CET)).toBe(false);
    writeCetControl(state, CetMsr.IA32_S_CET, 0x35n);
    expect(state.msrs.get(CetMsr.IA32_S_CET)).toBe(0x35n);
  });
});
