/** What a step of a fuzzed program does; the executor turns it into one or more hypercalls. */
export const StepKind = {
  CREATE_PD: 0,
  CREATE_EC: 1,
  CREATE_SC: 2,
  CREATE_PT: 3,
  CREATE_SM: 4,
  DELEGATE_OBJECTS: 5,
  DELEGATE_MEMORY: 6,
  CTRL_EC: 7,
  CTRL_SC: 8,
  CTRL_PT: 9,
  SM_UP: 10,
  SM_DOWN: 11,
  IPC_CALL: 12,
  ASSIGN_DEV: 13,
  ASSIGN_INT: 14,
  CTRL_HW: 15,
  REVOKE_WINDOW: 16,
  RAW: 17,
} as const;
export type StepKind = (typeof StepKind)[keyof typeof StepKind];

export const STEP_KIND_NAMES: Readonly<Record<StepKind, string>> = Object.freeze(
  Object.fromEntries(Object.entries(StepKind).map(([name, value]) => [value, name.toLowerCase()])) as Record<StepKind, string>,
);

/** Bytes every step carries as parameters (selectors, orders, masks); the executor interprets them. */
export const STEP_PARAMETERS = 8;

export interface ProgramStep {
  /** who issues it: 0 = the root PD, 1.. = the fuzzed PDs */
  readonly actor: number;
  readonly kind: StepKind;
  /** adversarial: the executor bends one argument out of the valid range */
  readonly adversarial: boolean;
  /** raw parameter bytes */
  readonly parameters: readonly number[];
}
