import { CetControl } from "../msr/cet-registers.js";

/**
 * The supervisor IBT tracker (reference/cet.md §3), kept where hardware keeps it: S_CET.TRACKER
 * (bit 11) and S_CET.SUPPRESS (bit 10), so the state survives in the CPU's MSR like a context
 * switch would save it. Pure functions from one S_CET value to the next.
 */
export type TrackerState = "IDLE" | "WAIT_FOR_ENDBRANCH";

export function trackerState(sCet: bigint): TrackerState {
  return (sCet & CetControl.TRACKER) !== 0n ? "WAIT_FOR_ENDBRANCH" : "IDLE";
}

/** Suppression counts only while SUPPRESS_DIS = 0 (cet.md §2, §3). */
export function trackerSuppressed(sCet: bigint): boolean {
  return (sCet & CetControl.SUPPRESS) !== 0n && (sCet & CetControl.SUPPRESS_DIS) === 0n;
}

export interface IndirectBranch {
  /** the branch carries the NOTRACK prefix (byte 0x3E) */
  readonly notrack: boolean;
}

/**
 * A near indirect CALL/JMP (and SYSCALL or event delivery, which carry no prefix) arms the
 * tracker when ENDBR_EN = 1, except a NOTRACK branch while NO_TRACK_EN = 1. A suppressed tracker
 * is not armed ([unconfirmed] SDM detail; NOVA sets SUPPRESS_DIS, so it never matters there).
 */
export function armTracker(sCet: bigint, branch: IndirectBranch): bigint {
  if ((sCet & CetControl.ENDBR_EN) === 0n) return sCet;
  if (trackerSuppressed(sCet)) return sCet;
  if (branch.notrack && (sCet & CetControl.NO_TRACK_EN) !== 0n) return sCet;
  return sCet | CetControl.TRACKER;
}

/** ENDBR64 F3 0F 1E FA, ENDBR32 F3 0F 1E FB (cet.md §3 encodings, verified with GNU as). */
export const ENDBR64 = Object.freeze([0xf3, 0x0f, 0x1e, 0xfa]);
export const ENDBR32 = Object.freeze([0xf3, 0x0f, 0x1e, 0xfb]);

export type LandingPad = "ENDBR64" | "ENDBR32" | "none";

export function landingPadOf(bytes: Uint8Array): LandingPad {
  const startsWith = (pattern: readonly number[]): boolean => pattern.every((byte, index) => bytes[index] === byte);
  if (startsWith(ENDBR64)) return "ENDBR64";
  if (startsWith(ENDBR32)) return "ENDBR32";
  return "none";
}

export interface LandingPadCheck {
  /** S_CET after the instruction */
  readonly sCet: bigint;
  /** true: #CP(ENDBRANCH) instead of executing the instruction */
  readonly fault: boolean;
}

/**
 * The check on the first instruction executed while WAIT_FOR_ENDBRANCH (cet.md §3): ENDBR64 in
 * 64-bit mode (ENDBR32 in compatibility mode; the wrong width does not count, [unconfirmed])
 * returns the tracker to IDLE; a target in a page the legacy bitmap marks (LEG_IW_EN = 1) goes to
 * IDLE and, unless SUPPRESS_DIS, suppresses the tracker; a suppressed tracker checks nothing;
 * anything else is #CP(ENDBRANCH). In IDLE every instruction executes (ENDBR is a NOP then).
 */
export function checkLandingPad(sCet: bigint, bytes: Uint8Array, options: { readonly mode64: boolean; readonly legacyPage: boolean }): LandingPadCheck {
  if (trackerState(sCet) === "IDLE") return { sCet, fault: false };
  const idle = sCet & ~CetControl.TRACKER;
  if (landingPadOf(bytes) === (options.mode64 ? "ENDBR64" : "ENDBR32")) return { sCet: idle, fault: false };
  if (trackerSuppressed(sCet)) return { sCet: idle, fault: false };
  if ((sCet & CetControl.LEG_IW_EN) !== 0n && options.legacyPage) {
    const suppress = (sCet & CetControl.SUPPRESS_DIS) === 0n ? CetControl.SUPPRESS : 0n;
    return { sCet: idle | suppress, fault: false };
  }
  return { sCet, fault: true };
}
