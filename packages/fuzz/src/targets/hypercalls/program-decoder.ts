import { FuzzedDataProvider } from "./fuzzed-data-provider.js";
import { STEP_PARAMETERS, StepKind, type ProgramStep } from "./program-step.js";

/** Fuzzed PDs besides the root (the brief asks for at least three, on different CPUs). */
export const FUZZED_ACTORS = 3;
/** A program never runs longer than this many steps, whatever its length. */
export const MAX_PROGRAM_STEPS = 256;

/**
 * Step kinds weighted towards valid, state-building operations (creation, delegation, IPC), so
 * programs get deep; the rarer ones are the interesting-but-destructive operations.
 */
const WEIGHTED_KINDS: readonly StepKind[] = [
  StepKind.CREATE_PD, StepKind.CREATE_PD,
  StepKind.CREATE_EC, StepKind.CREATE_EC, StepKind.CREATE_EC,
  StepKind.CREATE_SC,
  StepKind.CREATE_PT, StepKind.CREATE_PT, StepKind.CREATE_PT,
  StepKind.CREATE_SM, StepKind.CREATE_SM,
  StepKind.DELEGATE_OBJECTS, StepKind.DELEGATE_OBJECTS, StepKind.DELEGATE_OBJECTS, StepKind.DELEGATE_OBJECTS,
  StepKind.DELEGATE_MEMORY, StepKind.DELEGATE_MEMORY, StepKind.DELEGATE_MEMORY, StepKind.DELEGATE_MEMORY,
  StepKind.CTRL_EC, StepKind.CTRL_SC, StepKind.CTRL_PT,
  StepKind.SM_UP, StepKind.SM_UP, StepKind.SM_DOWN, StepKind.SM_DOWN,
  StepKind.IPC_CALL, StepKind.IPC_CALL, StepKind.IPC_CALL, StepKind.IPC_CALL,
  StepKind.ASSIGN_DEV, StepKind.ASSIGN_DEV, StepKind.ASSIGN_DEV,
  StepKind.ASSIGN_INT, StepKind.CTRL_HW,
  StepKind.REVOKE_WINDOW,
  StepKind.RAW, StepKind.RAW,
];

/**
 * The bytes as a program: per step one byte for the actor, one for the kind, one for the
 * adversarial flag (about one step in eight bends an argument) and STEP_PARAMETERS parameter
 * bytes. Root-only operations (assign_dev, ctrl_hw, revoking a window) are steered to the root
 * most of the time, so they succeed often enough to matter.
 */
export function decodeProgram(bytes: Uint8Array): ProgramStep[] {
  const data = new FuzzedDataProvider(bytes);
  const steps: ProgramStep[] = [];
  while (data.remaining > 0 && steps.length < MAX_PROGRAM_STEPS) {
    let actor = data.below(FUZZED_ACTORS + 1);
    const kind = WEIGHTED_KINDS[data.below(WEIGHTED_KINDS.length)] as StepKind;
    const adversarial = data.chance(12);
    const rootOnly = kind === StepKind.ASSIGN_DEV || kind === StepKind.CTRL_HW || kind === StepKind.REVOKE_WINDOW || kind === StepKind.ASSIGN_INT;
    if (rootOnly && !adversarial) actor = 0;
    const parameters: number[] = [];
    for (let i = 0; i < STEP_PARAMETERS; i++) parameters.push(data.byte());
    steps.push({ actor, kind, adversarial, parameters });
  }
  return steps;
}

/** The inverse for handcrafted seeds: the bytes that decode to these steps. */
export function encodeProgram(steps: readonly ProgramStep[]): Uint8Array {
  const bytes: number[] = [];
  for (const step of steps) {
    bytes.push(step.actor, WEIGHTED_KINDS.indexOf(step.kind), step.adversarial ? 0 : 255);
    for (let i = 0; i < STEP_PARAMETERS; i++) bytes.push(step.parameters[i] ?? 0);
  }
  return Uint8Array.from(bytes);
}
