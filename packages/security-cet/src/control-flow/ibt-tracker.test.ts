import { describe, expect, it } from "vitest";
import { CetControl } from "../msr/cet-registers.js";
import { armTracker, checkLandingPad, ENDBR32, ENDBR64, landingPadOf, trackerState, trackerSuppressed } from "./ibt-tracker.js";

const { ENDBR_EN, NO_TRACK_EN, SUPPRESS_DIS, SUPPRESS, TRACKER, LEG_IW_EN } = CetControl;
const NOVA_IBT = ENDBR_EN | NO_TRACK_EN | SUPPRESS_DIS;
const endbr64 = Uint8Array.from(ENDBR64);
const endbr32 = Uint8Array.from(ENDBR32);
const plain = Uint8Array.from([0x55, 0x48, 0x89, 0xe5]);
const in64 = { mode64: true, legacyPage: false };

describe("IBT tracker transitions (cet.md §3)", () => {
  it("decodes landing pads by their bytes", () => {
    expect(landingPadOf(endbr64)).toBe("ENDBR64");
    expect(landingPadOf(endbr32)).toBe("ENDBR32");
    expect(landingPadOf(plain)).toBe("none");
    expect(landingPadOf(Uint8Array.from([0xf3, 0x0f, 0x1e]))).toBe("none");
  });

  it("IDLE -> WAIT_FOR_ENDBRANCH on an indirect branch with ENDBR_EN", () => {
    expect(trackerState(NOVA_IBT)).toBe("IDLE");
    expect(trackerState(armTracker(NOVA_IBT, { notrack: false }))).toBe("WAIT_FOR_ENDBRANCH");
  });

  it("stays IDLE without ENDBR_EN", () => {
    expect(armTracker(NO_TRACK_EN | SUPPRESS_DIS, { notrack: false })).toBe(NO_TRACK_EN | SUPPRESS_DIS);
  });

  it("NOTRACK keeps IDLE only while NO_TRACK_EN is set", () => {
    expect(trackerState(armTracker(NOVA_IBT, { notrack: true }))).toBe("IDLE");
    expect(trackerState(armTracker(ENDBR_EN | SUPPRESS_DIS, { notrack: true }))).toBe("WAIT_FOR_ENDBRANCH");
  });

  it("a suppressed tracker (SUPPRESS with SUPPRESS_DIS clear) is not armed and checks nothing", () => {
    const suppressed = ENDBR_EN | SUPPRESS;
    expect(trackerSuppressed(suppressed)).toBe(true);
    expect(trackerSuppressed(suppressed | SUPPRESS_DIS)).toBe(false);
    expect(armTracker(suppressed, { notrack: false })).toBe(suppressed);
    expect(checkLandingPad(suppressed | TRACKER, plain, in64)).toEqual({ sCet: suppressed, fault: false });
    expect(checkLandingPad(suppressed | SUPPRESS_DIS | TRACKER, plain, in64).fault).toBe(true);
  });

  it("WAIT_FOR_ENDBRANCH -> IDLE on ENDBR64", () => {
    expect(checkLandingPad(NOVA_IBT | TRACKER, endbr64, in64)).toEqual({ sCet: NOVA_IBT, fault: false });
  });

  it("WAIT_FOR_ENDBRANCH + anything else -> #CP(ENDBRANCH), tracker left waiting", () => {
    expect(checkLandingPad(NOVA_IBT | TRACKER, plain, in64)).toEqual({ sCet: NOVA_IBT | TRACKER, fault: true });
  });

  it("ENDBR32 does not satisfy a 64-bit check, and ENDBR64 not a 32-bit one", () => {
    expect(checkLandingPad(NOVA_IBT | TRACKER, endbr32, in64).fault).toBe(true);
    expect(checkLandingPad(NOVA_IBT | TRACKER, endbr32, { mode64: false, legacyPage: false }).fault).toBe(false);
    expect(checkLandingPad(NOVA_IBT | TRACKER, endbr64, { mode64: false, legacyPage: false }).fault).toBe(true);
  });

  it("IDLE executes anything", () => {
    expect(checkLandingPad(NOVA_IBT, plain, in64)).toEqual({ sCet: NOVA_IBT, fault: false });
  });

  it("a legacy page (LEG_IW_EN) goes to IDLE and suppresses unless SUPPRESS_DIS", () => {
    const legacy = { mode64: true, legacyPage: true };
    expect(checkLandingPad(ENDBR_EN | LEG_IW_EN | TRACKER, plain, legacy)).toEqual({ sCet: ENDBR_EN | LEG_IW_EN | SUPPRESS, fault: false });
    expect(checkLandingPad(ENDBR_EN | LEG_IW_EN | SUPPRESS_DIS | TRACKER, plain, legacy)).toEqual({ sCet: ENDBR_EN | LEG_IW_EN | SUPPRESS_DIS, fault: false });
    expect(checkLandingPad(ENDBR_EN | TRACKER, plain, legacy).fault).toBe(true);
  });
});
