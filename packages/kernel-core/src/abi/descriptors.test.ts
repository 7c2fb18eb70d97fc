import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dadX86Sbdf,
  decodeDadArm,
  decodeDadX86,
  decodeEcPlacement,
  decodeIdentifier,
  decodeMadArm,
  decodeMadX86,
  decodeScd,
  decodeSelectorWord,
  encodeDadArm,
  encodeDadX86,
  encodeEcPlacement,
  encodeIdentifier,
  encodeMadArm,
  encodeMadX86,
  encodeMtdWords,
  encodeScd,
  encodeSelectorWord,
  isValidArmMad,
  mtdWordCount,
  MtdArchX86,
  MtdArchAarch64,
} from "./descriptors.js";
import {
  EC_PERMISSIONS_DEFINED,
  EcPermission,
  PD_PERMISSIONS_DEFINED,
  PdPermission,
  PT_PERMISSIONS_DEFINED,
  SM_INTERRUPT_PERMISSIONS_DEFINED,
  SmPermission,
  SPACE_PERMISSIONS_DEFINED,
} from "./permissions.js";
import { NovaObjectSelector, RootObjectSelector, SELNUM } from "./well-known-selectors.js";

describe("permission bits (nova.md §1.4)", () => {
  it("DEFINED masks are the OR of the bits", () => {
    expect(Object.values(PdPermission).reduce((a: number, b: number) => a | b, 0)).toBe(PD_PERMISSIONS_DEFINED);
    expect(Object.values(EcPermission).reduce((a: number, b: number) => a | b, 0)).toBe(EC_PERMISSIONS_DEFINED);
    expect(PD_PERMISSIONS_DEFINED).toBe(0x1f);
    expect(EC_PERMISSIONS_DEFINED).toBe(0x0d);
    expect(PT_PERMISSIONS_DEFINED).toBe(0x07);
    expect(SmPermission.ASSIGN | SmPermission.CTRL_DN).toBe(SM_INTERRUPT_PERMISSIONS_DEFINED);
    expect(SPACE_PERMISSIONS_DEFINED).toEqual({ OBJ: 3, HST: 3, GST: 5, DMA: 5, PIO: 7, MSR: 7 });
  });

  it("well-known selectors (nova.md §1.5)", () => {
    expect(SELNUM).toBe(262144);
    expect(NovaObjectSelector.CONSOLE_SM).toBe(0x3ffff);
    expect(NovaObjectSelector.ROOT_PD).toBe(SELNUM - 9);
    expect(NovaObjectSelector.INTERRUPT_SM_BASE).toBe(0x10000);
    expect(RootObjectSelector).toEqual({ NOVA_OBJ: SELNUM - 1, ROOT_OBJ: SELNUM - 2, ROOT_PD: SELNUM - 3, ROOT_EC: SELNUM - 4, ROOT_SC: SELNUM - 5 });
  });
});

describe("descriptors (nova.md §2.1, §2.5)", () => {
  it("identifier: number 3:0, flags 7:4, selector 63:8", () => {
    expect(encodeIdentifier({ number: 0x7, flags: 0x3, selector: 0x123n })).toBe(0x12337n);
    expect(decodeIdentifier(0xffff_ffff_ffff_ff2an)).toEqual({ number: 0xa, flags: 0x2, selector: 0xff_ffff_ffff_ffffn });
  });

  it("SCD: budget 15:0, prio 22:16, COS 38:23", () => {
    expect(encodeScd({ budgetMs: 1000, priority: 127, cos: 0 })).toBe(0x7f03e8n);
    expect(encodeScd({ budgetMs: 1, priority: 1, cos: 3 })).toBe((3n << 23n) | (1n << 16n) | 1n);
    expect(() => encodeScd({ budgetMs: 1, priority: 128, cos: 0 })).toThrow(expect.objectContaining({ code: "NK-KRN-102" }));
  });

  it("MTD: (mtd mod 512) + 1 words; architectural bit names", () => {
    expect(mtdWordCount(0n)).toBe(1);
    expect(mtdWordCount(511n)).toBe(512);
    expect(mtdWordCount(512n)).toBe(1);
    expect(mtdWordCount(encodeMtdWords(17))).toBe(17);
    expect(() => encodeMtdWords(0)).toThrow(expect.objectContaining({ code: "NK-KRN-102" }));
    expect([MtdArchX86.GPR_0_7, MtdArchX86.RIP, MtdArchX86.QUAL, MtdArchX86.EFER, MtdArchX86.TLB, MtdArchX86.SPACES]).toEqual([2, 16, 64, 1 << 25, 1 << 29, 2 ** 31]);
    expect([MtdArchAarch64.GPR, MtdArchAarch64.EL2_HCR, MtdArchAarch64.GIC]).toEqual([4, 1 << 23, 1 << 30]);
  });

  it("MAD x86 (CA 2:0, KI 17:3) and Arm (CA 2:0, SH 4:3)", () => {
    expect(encodeMadX86({ cacheAttribute: 3, keyId: 5 })).toBe(0x2bn);
    expect(decodeMadX86(0x2bn)).toEqual({ cacheAttribute: 3, keyId: 5 });
    expect(encodeMadArm({ cacheAttribute: 7, shareability: 3 })).toBe(0x1fn);
    expect(isValidArmMad(decodeMadArm(0x04n))).toBe(false);
    expect(isValidArmMad(decodeMadArm(0x0fn))).toBe(false);
    expect(isValidArmMad(decodeMadArm(0x1fn))).toBe(true);
  });

  it("DAD x86 (S 31:16, B 15:8, D 7:3, F 2:0) and Arm (SID, mask, SMG, CTX)", () => {
    const dad = encodeDadX86({ segment: 1, bus: 0x3a, device: 0x1f, function: 7 });
    expect(dad).toBe(0x0001_3affn);
    expect(dadX86Sbdf(decodeDadX86(dad))).toBe(0x13aff);
    expect(encodeDadArm({ streamId: 0x12, streamIdMask: 0x7f00, streamMatchGroup: 3, context: 9 })).toBe(0x0903_7f00_0012n);
  });

  it("round-trips every field that fits (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ budgetMs: fc.integer({ min: 0, max: 0xffff }), priority: fc.integer({ min: 0, max: 127 }), cos: fc.integer({ min: 0, max: 0xffff }) }),
        fc.record({ segment: fc.integer({ min: 0, max: 0xffff }), bus: fc.integer({ min: 0, max: 255 }), device: fc.integer({ min: 0, max: 31 }), function: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ streamId: fc.integer({ min: 0, max: 0xffff }), streamIdMask: fc.integer({ min: 0, max: 0xffff }), streamMatchGroup: fc.integer({ min: 0, max: 255 }), context: fc.integer({ min: 0, max: 255 }) }),
        fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 0xfff }),
        (scd, dadX86, dadArm, base, low, cpu) => {
          expect(decodeScd(encodeScd(scd))).toEqual(scd);
          expect(decodeDadX86(encodeDadX86(dadX86))).toEqual(dadX86);
          expect(decodeDadArm(encodeDadArm(dadArm))).toEqual(dadArm);
          expect(decodeSelectorWord(encodeSelectorWord(base, low))).toEqual({ base, low });
          const hostAddress = (base & ((1n << 40n) - 1n)) << 12n;
          expect(decodeEcPlacement(encodeEcPlacement({ hostAddress, cpu }))).toEqual({ hostAddress, cpu });
        },
      ),
    );
  });
});

describe("ctrl_hw sleep descriptor (nova.md §2.4)", () => {
  it("decodes S 2:0, _Sx[0] 5:3, _Sx[1] 8:6 and flags what no arch accepts", async () => {
    const { decodeSleepDescriptor, isMalformedSleepDescriptor } = await import("./descriptors.js");
    const s5 = decodeSleepDescriptor(5n | (3n << 3n) | (6n << 6n));
    expect(s5).toEqual({ state: 5, slpTypA: 3, slpTypB: 6 });
    expect(isMalformedSleepDescriptor(s5)).toBe(false);
    expect(isMalformedSleepDescriptor(decodeSleepDescriptor(0n))).toBe(true);
    expect(isMalformedSleepDescriptor(decodeSleepDescriptor(6n))).toBe(true);
    expect(isMalformedSleepDescriptor(decodeSleepDescriptor(7n))).toBe(false);
    expect(isMalformedSleepDescriptor(decodeSleepDescriptor(7n | (1n << 3n)))).toBe(true);
  });
});
