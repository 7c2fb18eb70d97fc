import { encodeProgram } from "./program-decoder.js";
import { StepKind, type ProgramStep } from "./program-step.js";

const step = (actor: number, kind: StepKind, ...parameters: number[]): ProgramStep => ({ actor, kind, adversarial: false, parameters });

/**
 * Handcrafted programs the mutator starts from, each reaching a corner on purpose (parameter
 * meanings: step-executor.ts). Fuzzed PD n runs on CPU n.
 */
export function hypercallSeeds(): Uint8Array[] {
  return [
    // same-CPU IPC; the server faults mid-call (dying partner: ABORTED); a second server blocks
    // in its handler, and the root nulls the window (kills it) while the call is in flight
    encodeProgram([
      step(1, StepKind.CREATE_EC, 1, 0, 0, 1),
      step(1, StepKind.CREATE_PT, 1, 0, 0, 0),
      step(1, StepKind.IPC_CALL, 1, 3, 0, 1),
      step(1, StepKind.CTRL_PT, 1, 6, 0),
      step(1, StepKind.IPC_CALL, 1, 3, 0, 1),
      step(1, StepKind.CREATE_EC, 1, 2, 0, 1),
      step(1, StepKind.CREATE_PT, 3, 0, 1, 7),
      step(1, StepKind.IPC_CALL, 1, 3, 0, 1),
      step(0, StepKind.REVOKE_WINDOW, 0, 1, 5, 0),
      step(1, StepKind.CREATE_SM, 4, 0, 1),
    ]),
    // a portal delegated to the next PD, called from another CPU (BAD_CPU), narrowed, revoked
    encodeProgram([
      step(1, StepKind.CREATE_EC, 1, 0, 0, 1),
      step(1, StepKind.CREATE_PT, 1, 0, 0, 0),
      step(1, StepKind.DELEGATE_OBJECTS, 0, 2, 0, 1, 0, 0, 5),
      step(2, StepKind.IPC_CALL, 5, 1, 0, 1),
      step(2, StepKind.DELEGATE_OBJECTS, 0, 0, 0, 5, 0, 0x82, 6),
      step(2, StepKind.IPC_CALL, 6, 1, 0, 1),
      step(0, StepKind.REVOKE_WINDOW, 1, 0, 3, 0, 0),
    ]),
    // memory into DMA spaces, the AHCI controller moved between spaces, a malformed DAD, a bad SMMU
    encodeProgram([
      step(0, StepKind.DELEGATE_MEMORY, 0, 3, 1, 0, 6, 0),
      step(0, StepKind.DELEGATE_MEMORY, 0, 6, 2, 4, 7, 0),
      step(0, StepKind.ASSIGN_DEV, 0, 0, 0, 0),
      step(0, StepKind.ASSIGN_DEV, 3, 0, 0, 0),
      step(0, StepKind.ASSIGN_DEV, 1, 0, 0, 0),
      step(0, StepKind.ASSIGN_DEV, 1, 0, 250, 2),
      step(0, StepKind.ASSIGN_DEV, 1, 240, 0, 0),
      step(1, StepKind.DELEGATE_MEMORY, 0, 1, 0, 2, 3, 0),
      step(1, StepKind.DELEGATE_MEMORY, 0, 1, 0, 2, 2, 200),
    ]),
    // overlapping object delegations and revocation by overwrite with narrower and zero masks
    encodeProgram([
      step(3, StepKind.CREATE_SM, 0, 0, 1),
      step(3, StepKind.CREATE_SM, 1, 0, 0),
      step(3, StepKind.DELEGATE_OBJECTS, 0, 0, 0, 0, 2, 0x81, 2),
      step(3, StepKind.DELEGATE_OBJECTS, 0, 0, 0, 2, 2, 0x82, 3),
      step(3, StepKind.SM_UP, 3),
      step(3, StepKind.SM_DOWN, 3, 200, 10, 1),
      step(0, StepKind.REVOKE_WINDOW, 2, 0, 2, 0, 0x01),
      step(0, StepKind.REVOKE_WINDOW, 2, 1, 5, 0),
    ]),
  ];
}
