/**
 * Where things are in the object spaces of a fuzzed program. Every fuzzed PD (and the root)
 * finds its own capabilities at the same selectors, so portal handlers and the executor need
 * no per-PD tables; programs only create and delegate into the WINDOW, which keeps the
 * coordination semaphores out of reach (a program may revoke anything else it was given).
 */
export const Slot = {
  SELF_PD: 0x10,
  SELF_OBJ: 0x11,
  SELF_HST: 0x12,
  SELF_PIO: 0x13,
  /** the next fuzzed PD's object space (GRANT | TAKE): cross-PD delegation and revocation */
  PEER_OBJ: 0x14,
  /** a DMA space of this PD that the root also holds (ASSIGN | GRANT) */
  SELF_DMA: 0x17,
  /** root only: the NOVA host space (TAKE), an interrupt semaphore */
  NOVA_HST: 0x20,
  INTERRUPT_SM: 0x21,
  /** root only: an empty DMA space of its own where teardown parks every device */
  PARKING_DMA: 0x22,
  /** coordination semaphores of a fuzzed PD (never in the window) */
  GO: 0x30,
  DONE: 0x31,
  /** a semaphore (count 0) a blocking portal handler waits on with a deadline */
  HANDLER_SM: 0x32,
} as const;

/** the slots programs create into and delegate into */
export const WINDOW_BASE = 0x40;
export const WINDOW_SLOTS = 32;
export const WINDOW_ORDER = 5;
/** a range of the root's object space nothing ever fills: the source of null capabilities */
export const EMPTY_RANGE = 0x3f000;
/** selectors 0 .. 2^TEARDOWN_ORDER - 1 of a fuzzed PD's object space are nulled at teardown (window, slots, STARTUP portal) */
export const TEARDOWN_ORDER = 10;
/** selectors per program region of the root (2^8 = 0x100) */
export const PROGRAM_REGION_ORDER = 8;
/** SELEVT of every EC a program makes; the STARTUP portal sits at +32 (x86 host, nova.md §2.6) */
export const EVENT_BASE = 0x200;
export const STARTUP_EVENT = 32;

/**
 * root object-space region of program k's setup capabilities (16 slots per fuzzed PD). Teardown
 * nulls a region, so regions are reused round-robin: the root's object space (and the checker's
 * walk of it) does not grow with the number of programs a boot runs.
 */
const PROGRAM_REGIONS = 8;
export const programRegion = (program: number): number => 0x1000 + (program % PROGRAM_REGIONS) * 0x100;
export const RootActorSlot = { PD: 0, OBJ: 1, HST: 2, PIO: 3, DMA: 4, DMA2: 5, GO: 6, DONE: 7, EC: 8, SC: 9, STARTUP_EC: 10, STARTUP_PT: 11, HANDLER_SM: 12 } as const;

/**
 * Physical frames the root delegates from: 64 MiB of q35 RAM above everything the kernel
 * allocates at boot (checked when the world is built), so programs never hand out kernel tables.
 */
export const ARENA_FIRST_FRAME = 0x10000n;
export const ARENA_FRAMES = 0x4000n;
/** host page where every fuzzed PD receives its memory, and the I/O page of its DMA mappings */
export const MEMORY_PAGE = 0x1000n;
/** host page of the UTCBs of program-made ECs (one per window slot) */
export const UTCB_PAGE = 0x70000n;
