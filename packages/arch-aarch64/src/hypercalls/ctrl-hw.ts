import {
  CtrlHwOp,
  decodeSleepDescriptor,
  isMalformedSleepDescriptor,
  Status,
  type HypercallInvocation,
  type HypercallOutcome,
} from "@novakit/kernel-core";
import { PsciFirmware } from "../psci/psci-firmware.js";
import { psci32, PsciFunction, PsciReturn, psciReturnName } from "../psci/smccc.js";


export interface Aarch64CtrlHwEnvironment {
  readonly psci: PsciFirmware;
  /** MPIDR of a NOVA CPU number */
  mpidrOf(cpu: number): bigint;
  log(line: string): void;
}

/**
 * NOVA's ctrl_hw on AArch64 (nova.md §2.4, §9): root PD only (BAD_HYP); OP 0 sleep/reset goes
 * to PSCI: S4 and S5 -> SYSTEM_OFF, reset (S 7 with _Sx values 0) -> SYSTEM_RESET (the
 * transitions PSCI >= 0.2 supports, mask bits 4, 5, 7); S1-S3 are not supported by this model
 * (no SYSTEM_SUSPEND): BAD_FTR. QoS OPs 4-7 are BAD_FTR on aarch64; other OPs BAD_PAR.
 * Model choices, as in the x86 plugin: S 0 and 6, and reset with nonzero _Sx values -> BAD_PAR;
 * a second transition once the system is off or resetting -> ABORTED.
 */
export class Aarch64CtrlHw {
  constructor(private readonly environment: Aarch64CtrlHwEnvironment) {}

  handle(invocation: HypercallInvocation): HypercallOutcome {
    if (!invocation.callerIsRoot) return { status: Status.BAD_HYP };
    switch (invocation.flags) {
      case CtrlHwOp.SLEEP:
        return this.sleep(invocation.selector, invocation.cpu);
      case CtrlHwOp.QOS_CONFIG:
      case CtrlHwOp.L3_CAT_MASK:
      case CtrlHwOp.L2_CAT_MASK:
      case CtrlHwOp.MBA_DELAY:
        return { status: Status.BAD_FTR };
      default:
        return { status: Status.BAD_PAR };
    }
  }

  private sleep(desc: bigint, cpu: number): HypercallOutcome {
    const sleep = decodeSleepDescriptor(desc);
    if (isMalformedSleepDescriptor(sleep)) return { status: Status.BAD_PAR };
    const { state } = sleep;
    if (state >= 1 && state <= 3) return { status: Status.BAD_FTR };
    const { psci } = this.environment;
    if (psci.systemState !== "running") return { status: Status.ABORTED };
    const fn = state === 7 ? PsciFunction.SYSTEM_RESET : PsciFunction.SYSTEM_OFF;
    const name = state === 7 ? "SYSTEM_RESET" : "SYSTEM_OFF";
    const outcome = psci.call(psci32(fn), [], this.environment.mpidrOf(cpu));
    this.environment.log(`PSCI: ${name} from CPU ${cpu} (${state === 7 ? "reset" : `S${state}`}) -> ${psciReturnName(outcome.value)}`);
    if (outcome.value === PsciReturn.SUCCESS) return { status: Status.SUCCESS };
    return { status: outcome.value === PsciReturn.NOT_SUPPORTED ? Status.BAD_FTR : Status.ABORTED };
  }
}
