import {
  CtrlHwOp,
  decodeSleepDescriptor,
  isMalformedSleepDescriptor,
  Status,
  type HypercallInvocation,
  type HypercallOutcome,
} from "@novakit/kernel-core";
import { pm1aControlPort, type Fadt } from "../acpi/fadt.js";
import type { X86CpuModel } from "../profiles/x86-cpu-model.js";


export interface CtrlHwEnvironment {
  /** the FADT of the platform, undefined when it has none */
  readonly fadt: Fadt | undefined;
  readonly cpu: X86CpuModel;
  log(line: string): void;
}

interface QosState {
  readonly l3Cdp: boolean;
  readonly l2Cdp: boolean;
}

/**
 * NOVA's ctrl_hw on x86 (nova.md §2.4), with the kernel state it needs for one kernel:
 *  - root PD only (BAD_HYP), unknown OP -> BAD_PAR;
 *  - OP 0: desc bits 2:0 = S, 5:3 = _Sx[0] (SLP_TYPa), 8:6 = _Sx[1] (SLP_TYPb). S 1-3 shallow
 *    (returns on wake), 4-5 deep (no return), 7 reset with A = B = 0. Unsupported -> BAD_FTR
 *    (no FADT, hardware-reduced ACPI, no PM1a control block, S1-S3 without a FACS for the waking
 *    vector; for reset: no RESET_REG_SUP or no reset register). A transition while a deep one is under way -> ABORTED.
 *    Model choices (not in the reference): S 0 and 6 and reset with A/B != 0 -> BAD_PAR.
 *  - OP 4: QoS configuration once per CPU (bit 1 L3 CDP, bit 2 L2 CDP), then locked: ABORTED.
 *  - OP 5/6: L3/L2 CAT mask, N = COS bits 15:0, CBM = bits 47:16; OP 7 MBA delay, COS 15:0,
 *    delay 31:16. BAD_FTR without the feature, ABORTED before OP 4 on that CPU, BAD_PAR for a
 *    COS out of range, a CBM that is empty, not contiguous or too long, a delay too large.
 */
export class CtrlHwController {
  private deepTransition: string | undefined;
  private readonly qos = new Map<number, QosState>();

  constructor(private readonly environment: CtrlHwEnvironment) {}

  handle(invocation: HypercallInvocation): HypercallOutcome {
    if (!invocation.callerIsRoot) return { status: Status.BAD_HYP };
    const desc = invocation.selector;
    switch (invocation.flags) {
      case CtrlHwOp.SLEEP:
        return this.sleep(desc, invocation.cpu);
      case CtrlHwOp.QOS_CONFIG:
        return this.configureQos(desc, invocation.cpu);
      case CtrlHwOp.L3_CAT_MASK:
        return this.catMask(desc, invocation.cpu, "L3");
      case CtrlHwOp.L2_CAT_MASK:
        return this.catMask(desc, invocation.cpu, "L2");
      case CtrlHwOp.MBA_DELAY:
        return this.mbaDelay(desc, invocation.cpu);
      default:
        return { status: Status.BAD_PAR };
    }
  }

  private sleep(desc: bigint, cpu: number): HypercallOutcome {
    const sleep = decodeSleepDescriptor(desc);
    if (isMalformedSleepDescriptor(sleep)) return { status: Status.BAD_PAR };
    const { state, slpTypA, slpTypB } = sleep;
    const fadt = this.environment.fadt;
    if (fadt === undefined || fadt.hardwareReduced) return { status: Status.BAD_FTR };
    if (state === 7) {
      const register = fadt.resetRegister;
      if (!fadt.resetSupported || register === undefined || register.address === 0n) return { status: Status.BAD_FTR };
    } else if (pm1aControlPort(fadt) === 0) {
      return { status: Status.BAD_FTR };
    } else if (state <= 3 && fadt.facsAddress === 0n) {
      // a shallow state resumes through the FACS firmware waking vector
      return { status: Status.BAD_FTR };
    }
    if (this.deepTransition !== undefined) return { status: Status.ABORTED };
    if (state === 7) {
      this.deepTransition = "reset";
      this.environment.log(`ACPI: CPU ${cpu} platform reset via reset register 0x${fadt.resetRegister?.address.toString(16) ?? "0"} value 0x${(fadt.resetValue ?? 0).toString(16)}`);
    } else if (state >= 4) {
      this.deepTransition = `S${state}`;
      this.environment.log(`ACPI: CPU ${cpu} entering S${state} (SLP_TYPa ${slpTypA}, SLP_TYPb ${slpTypB}); no return`);
    } else {
      this.environment.log(`ACPI: CPU ${cpu} S${state} (SLP_TYPa ${slpTypA}, SLP_TYPb ${slpTypB}) entered and resumed`);
    }
    return { status: Status.SUCCESS };
  }

  private configureQos(desc: bigint, cpu: number): HypercallOutcome {
    const qos = this.environment.cpu.qos;
    if (qos === undefined || !(qos.l3Cat || qos.l2Cat || qos.mba)) return { status: Status.BAD_FTR };
    const l3Cdp = (desc & 0b010n) !== 0n;
    const l2Cdp = (desc & 0b100n) !== 0n;
    if ((l3Cdp && !qos.l3Cdp) || (l2Cdp && !qos.l2Cdp)) return { status: Status.BAD_FTR };
    if (this.qos.has(cpu)) return { status: Status.ABORTED };
    this.qos.set(cpu, { l3Cdp, l2Cdp });
    return { status: Status.SUCCESS };
  }

  private catMask(desc: bigint, cpu: number, level: "L3" | "L2"): HypercallOutcome {
    const qos = this.environment.cpu.qos;
    const supported = level === "L3" ? qos?.l3Cat : qos?.l2Cat;
    if (qos === undefined || supported !== true) return { status: Status.BAD_FTR };
    if (!this.qos.has(cpu)) return { status: Status.ABORTED };
    const cos = Number(desc & 0xffffn);
    const cbm = Number((desc >> 16n) & 0xffff_ffffn);
    const cbmBits = level === "L3" ? qos.l3CbmBits : qos.l2CbmBits;
    if (cos >= qos.classesOfService || !isContiguousMask(cbm, cbmBits)) return { status: Status.BAD_PAR };
    return { status: Status.SUCCESS };
  }

  private mbaDelay(desc: bigint, cpu: number): HypercallOutcome {
    const qos = this.environment.cpu.qos;
    if (qos === undefined || !qos.mba) return { status: Status.BAD_FTR };
    if (!this.qos.has(cpu)) return { status: Status.ABORTED };
    const cos = Number(desc & 0xffffn);
    const delay = Number((desc >> 16n) & 0xffffn);
    if (cos >= qos.classesOfService || delay > qos.mbaMaxDelay) return { status: Status.BAD_PAR };
    return { status: Status.SUCCESS };
  }
}

/** CAT capacity masks must be non-empty runs of 1s within the CBM length. */
export function isContiguousMask(mask: number, bits: number): boolean {
  if (mask === 0 || bits <= 0) return false;
  if (bits < 32 && mask >>> bits !== 0) return false;
  const lowest = (mask & -mask) >>> 0;
  const shifted = mask / lowest; // exact: lowest is a power of two
  return (shifted & (shifted + 1)) === 0;
}
