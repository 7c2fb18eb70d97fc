import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { sctlrEl2, hcrEl2ForGuest } from "../cpu/el2-system-registers.js";
import { sl0Of, tcrEl2, translationTableBase, vttbrEl2, vtcrEl2 } from "./translation-control.js";

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NovakitError ? error.code : "not a NovakitError";
  }
  return undefined;
}

describe("TCR_EL2 / VTCR_EL2 / TTBR values (paging.md §3.6)", () => {
  it("derives TCR_EL2 from the VA size, the CPU's PARange and LPA2", () => {
    // Cortex-A57: 44-bit PA -> PS 4
    expect(tcrEl2({ inputBits: 48, physicalAddressBits: 44, lpa2: false })).toBe(0x8084_3510n);
    // a 52-bit PA without DS is capped at 48 (PS 5)
    expect(tcrEl2({ inputBits: 48, physicalAddressBits: 52, lpa2: false })).toBe(0x8085_3510n);
    // LPA2: T0SZ 12, PS 6, DS
    expect(tcrEl2({ inputBits: 52, physicalAddressBits: 52, lpa2: true })).toBe(0x1_8086_350cn);
    expect(tcrEl2({ inputBits: 39, physicalAddressBits: 40, lpa2: false })).toBe(0x8082_3519n);
  });

  it("derives VTCR_EL2: SL0 from the start level, PS, DS", () => {
    expect(vtcrEl2({ ipaBits: 40, physicalAddressBits: 44, lpa2: false })).toBe(0x8004_3558n);
    expect(vtcrEl2({ ipaBits: 48, physicalAddressBits: 48, lpa2: false })).toBe(0x8005_3590n);
    expect(vtcrEl2({ ipaBits: 32, physicalAddressBits: 40, lpa2: false, vmid16: true })).toBe(0x800a_3520n);
    expect(vtcrEl2({ ipaBits: 52, physicalAddressBits: 52, lpa2: true })).toBe(0x1_8006_358cn);
    expect(sl0Of(-1)).toEqual({ sl0: 0n, sl2: true });
    expect(codeOf(() => sl0Of(4))).toBe("NK-A64-005");
  });

  it("places root bits 51:48 in TTBR bits 5:2 and the VMID in 63:48", () => {
    expect(translationTableBase(0x4000_0000n, 4096)).toBe(0x4000_0000n);
    expect(translationTableBase(0xa_0000_4000_0000n, 4096)).toBe(0x4000_0028n);
    expect(vttbrEl2(0x4800_0000n, 8192, 0xab)).toBe(0x00ab_0000_4800_0000n);
    expect(codeOf(() => vttbrEl2(0x4800_1000n, 8192, 1))).toBe("NK-A64-003");
    expect(codeOf(() => vttbrEl2(0x4800_0000n, 8192, 256))).toBe("NK-A64-010");
    expect(vttbrEl2(0x4800_0000n, 8192, 256, true)).toBe(0x0100_0000_4800_0000n);
  });

  it("programs SCTLR_EL2 and the guest HCR_EL2", () => {
    expect(sctlrEl2()).toBe(0x30c5_183dn);
    expect(hcrEl2ForGuest()).toBe(0x8008_203bn);
  });
});
