/**
 * Well-known selectors of [REL-24.08] (reference/nova.md §1.5). Object spaces have
 * SELNUM = 2^18 selectors (2 levels x 9 bits).
 */
export const SELNUM = 1 << 18;

/** The NOVA (kernel) object space. The root PD holds a TAKE capability to it. */
export const NovaObjectSelector = {
  /** memory-buffer console signal SM, all permissions */
  CONSOLE_SM: SELNUM - 1,
  NOVA_OBJ: SELNUM - 2,
  NOVA_HST: SELNUM - 3,
  NOVA_PIO: SELNUM - 4,
  NOVA_MSR: SELNUM - 5,
  ROOT_OBJ: SELNUM - 6,
  ROOT_HST: SELNUM - 7,
  ROOT_PIO: SELNUM - 8,
  /** in the code only, not in the spec table */
  ROOT_PD: SELNUM - 9,
  /** interrupt SMs at 2^16 ... 2^16 + INTPIN + INTMSI - 1 (ASSIGN + CTRL_DN) */
  INTERRUPT_SM_BASE: 1 << 16,
  /** idle SCs 0 ... CPUNUM - 1 (CTRL) */
  IDLE_SC_BASE: 0,
} as const;

/** The root PD's object space at start; every other slot is null. */
export const RootObjectSelector = {
  NOVA_OBJ: SELNUM - 1,
  ROOT_OBJ: SELNUM - 2,
  ROOT_PD: SELNUM - 3,
  ROOT_EC: SELNUM - 4,
  ROOT_SC: SELNUM - 5,
} as const;
