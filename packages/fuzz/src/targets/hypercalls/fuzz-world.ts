import {
  MemoryCapabilityPermission,
  NovaObjectSelector,
  RootObjectSelector,
  SmPermission,
  SpacePermission,
  Status,
  statusName,
  type EcBody,
  type HypercallResult,
  type PortalHandler,
  type UserlandApi,
} from "@novakit/kernel-core";
import { FUZZED_ACTORS } from "./program-decoder.js";
import { SlotBeliefs } from "./slot-kinds.js";
import type { ActorView } from "./step-executor.js";
import {
  ARENA_FIRST_FRAME,
  ARENA_FRAMES,
  EMPTY_RANGE,
  EVENT_BASE,
  MEMORY_PAGE,
  PROGRAM_REGION_ORDER,
  programRegion,
  RootActorSlot,
  Slot,
  STARTUP_EVENT,
  TEARDOWN_ORDER,
  WINDOW_BASE,
  WINDOW_ORDER,
} from "./world-layout.js";

const CAPABILITY_PERMISSIONS = 0x1f;
/** pages of the arena each fuzzed PD receives in its host space and its DMA space at setup */
const INITIAL_ORDER = 6;
/** fuzzed PDs run below the root (priority 127 in NOVA; the test scheduler orders by priority) */
const ACTOR_PRIORITY = 20;

/** One fuzzed PD as the root sees it. */
export interface FuzzedActor {
  readonly index: number;
  readonly cpu: number;
  /** root selectors of the actor's coordination semaphores */
  readonly go: number;
  readonly done: number;
  /** the step it runs next, with its own API (the mailbox its EC reads after GO) */
  mailbox: ((api: UserlandApi) => Promise<void>) | undefined;
  /** still running a step the root stopped waiting for */
  busy: boolean;
  readonly view: ActorView;
}

export interface FuzzWorld {
  readonly root: ActorView;
  readonly actors: readonly FuzzedActor[];
}

/**
 * The fixed world of a program could not be built. The world does not depend on the input, so
 * this is a kernel (or fuzzer) bug, not bad input: a plain Error, which the runner reports.
 */
export class WorldSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldSetupError";
  }
}

async function must(what: string, outcome: Promise<HypercallResult>): Promise<void> {
  const result = await outcome;
  if (result.status !== Status.SUCCESS) throw new WorldSetupError(`setting up the fuzzed world: ${what} failed with ${statusName(result.status)}`);
}

/** The root's one-time capabilities: the NOVA host space and an interrupt semaphore at fixed slots. */
export async function prepareRoot(api: UserlandApi): Promise<void> {
  const copy = (source: number, destination: number, mask: number): Promise<HypercallResult> =>
    api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: source, destinationBase: destination, order: 0, permissionMask: mask });
  await must("NOVA host space", copy(NovaObjectSelector.NOVA_HST, Slot.NOVA_HST, SpacePermission.TAKE));
  await must("interrupt SM", copy(NovaObjectSelector.INTERRUPT_SM_BASE, Slot.INTERRUPT_SM, CAPABILITY_PERMISSIONS));
  const self = (source: number, destination: number): Promise<HypercallResult> =>
    api.ctrlPd(RootObjectSelector.ROOT_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: source, destinationBase: destination, order: 0, permissionMask: CAPABILITY_PERMISSIONS });
  // the root finds itself at the same slots as every fuzzed PD (handlers are layout-agnostic)
  await must("root PD at SELF_PD", self(RootObjectSelector.ROOT_PD, Slot.SELF_PD));
  await must("root OBJ at SELF_OBJ", self(RootObjectSelector.ROOT_OBJ, Slot.SELF_OBJ));
  await must("parking DMA space", api.createPd(Slot.PARKING_DMA, RootObjectSelector.ROOT_PD, 4));
  await must("handler SM", api.createSm(Slot.HANDLER_SM, RootObjectSelector.ROOT_PD, 0));
}

/**
 * Take program `program`'s world down again through hypercalls, as a root task would: park
 * every DMA-capable device in the root's empty DMA space (dropping the device tables' references
 * on the program's spaces), null the fuzzed PDs' object spaces (breaking every EC <-> object-space
 * cycle), then the root's window and the program's region. Afterwards nothing of the program may
 * remain: the caller compares the object count (a leak is a finding).
 */
export async function tearDownWorld(api: UserlandApi, program: number, iommuBase: bigint, devices: readonly bigint[]): Promise<void> {
  for (const dad of devices) await must("park device", api.assignDev(Slot.PARKING_DMA, iommuBase, dad));
  const region = programRegion(program);
  const nulls = (destination: number, base: number, order: number): Promise<HypercallResult> =>
    api.ctrlPd(Slot.SELF_OBJ, destination, { sourceBase: EMPTY_RANGE, destinationBase: base, order, permissionMask: 0 });
  for (let index = 1; index <= FUZZED_ACTORS; index++) await must("null actor space", nulls(region + index * 16 + RootActorSlot.OBJ, 0, TEARDOWN_ORDER));
  await must("null root window", nulls(Slot.SELF_OBJ, WINDOW_BASE, WINDOW_ORDER));
  await must("null program region", nulls(Slot.SELF_OBJ, region, PROGRAM_REGION_ORDER));
}

/**
 * Build program `program`'s world through hypercalls of the root: FUZZED_ACTORS PDs, each with
 * object, host and PIO spaces, two DMA spaces, memory from the arena in its host and DMA space,
 * its capabilities at the Slot selectors, a STARTUP portal on its CPU, and a global EC (on CPU
 * index % cpus) that runs steps when the root ups GO and ups DONE after each.
 */
export async function buildWorld(api: UserlandApi, program: number, cpus: number, actorBody: (actor: FuzzedActor) => EcBody, startupHandler: PortalHandler): Promise<FuzzWorld> {
  const region = programRegion(program);
  const at = (index: number, slot: number): number => region + index * 16 + slot;
  const actors: FuzzedActor[] = [];
  const beliefs = Array.from({ length: FUZZED_ACTORS + 1 }, () => new SlotBeliefs());
  const beliefsOf = (index: number): SlotBeliefs | undefined => beliefs[index];
  for (let index = 1; index <= FUZZED_ACTORS; index++) {
    const pd = at(index, RootActorSlot.PD);
    await must("create_pd", api.createPd(pd, RootObjectSelector.ROOT_PD, 0));
    await must("OBJ", api.createPd(at(index, RootActorSlot.OBJ), pd, 1));
    await must("HST", api.createPd(at(index, RootActorSlot.HST), pd, 2));
    await must("PIO", api.createPd(at(index, RootActorSlot.PIO), pd, 5));
    await must("DMA", api.createPd(at(index, RootActorSlot.DMA), pd, 4));
    await must("DMA2", api.createPd(at(index, RootActorSlot.DMA2), pd, 4));
    await must("GO", api.createSm(at(index, RootActorSlot.GO), pd, 0));
    await must("DONE", api.createSm(at(index, RootActorSlot.DONE), pd, 0));
    await must("handler SM", api.createSm(at(index, RootActorSlot.HANDLER_SM), pd, 0));
  }
  for (let index = 1; index <= FUZZED_ACTORS; index++) {
    const obj = at(index, RootActorSlot.OBJ);
    const peer = at((index % FUZZED_ACTORS) + 1, RootActorSlot.OBJ);
    const give = (source: number, slot: number, mask: number): Promise<void> =>
      must(`give slot ${slot}`, api.ctrlPd(RootObjectSelector.ROOT_OBJ, obj, { sourceBase: source, destinationBase: slot, order: 0, permissionMask: mask }));
    await give(at(index, RootActorSlot.PD), Slot.SELF_PD, CAPABILITY_PERMISSIONS);
    await give(obj, Slot.SELF_OBJ, CAPABILITY_PERMISSIONS);
    await give(at(index, RootActorSlot.HST), Slot.SELF_HST, CAPABILITY_PERMISSIONS);
    await give(at(index, RootActorSlot.PIO), Slot.SELF_PIO, CAPABILITY_PERMISSIONS);
    await give(peer, Slot.PEER_OBJ, SpacePermission.GRANT | SpacePermission.TAKE);
    await give(at(index, RootActorSlot.DMA), Slot.SELF_DMA, SpacePermission.GRANT | SpacePermission.ASSIGN);
    await give(at(index, RootActorSlot.GO), Slot.GO, SmPermission.CTRL_DN);
    await give(at(index, RootActorSlot.DONE), Slot.DONE, SmPermission.CTRL_UP);
    await give(at(index, RootActorSlot.HANDLER_SM), Slot.HANDLER_SM, SmPermission.CTRL_DN);
    // memory: the same arena pages for every PD of a program (shared memory is legitimate)
    const arena = ARENA_FIRST_FRAME + ((BigInt(program * FUZZED_ACTORS + index) << BigInt(INITIAL_ORDER)) % ARENA_FRAMES);
    const memory = MemoryCapabilityPermission.R | MemoryCapabilityPermission.W;
    for (const destination of [at(index, RootActorSlot.HST), at(index, RootActorSlot.DMA)]) {
      await must("memory", api.ctrlPd(Slot.NOVA_HST, destination, { sourceBase: arena, destinationBase: MEMORY_PAGE, order: INITIAL_ORDER, permissionMask: memory }));
    }
  }
  for (let index = 1; index <= FUZZED_ACTORS; index++) {
    const cpu = index % cpus;
    const pd = at(index, RootActorSlot.PD);
    // the STARTUP event of the actor's EC goes to a portal in its own space on its CPU (§2.6)
    await must("startup EC", api.createEc(at(index, RootActorSlot.STARTUP_EC), pd, { kind: "local", cpu, eventBase: EVENT_BASE, utcbAddress: 0x7f000n << 12n, handler: startupHandler }));
    await must("startup PT", api.createPt(at(index, RootActorSlot.STARTUP_PT), pd, at(index, RootActorSlot.STARTUP_EC), 0));
    await must(
      "startup PT delegation",
      api.ctrlPd(RootObjectSelector.ROOT_OBJ, at(index, RootActorSlot.OBJ), { sourceBase: at(index, RootActorSlot.STARTUP_PT), destinationBase: EVENT_BASE + STARTUP_EVENT, order: 0, permissionMask: CAPABILITY_PERMISSIONS }),
    );
    const actor: FuzzedActor = {
      index,
      cpu,
      go: at(index, RootActorSlot.GO),
      done: at(index, RootActorSlot.DONE),
      mailbox: undefined,
      busy: false,
      view: {
        index,
        cpu,
        pds: [Slot.SELF_PD],
        objectSpaces: [Slot.SELF_OBJ, Slot.SELF_OBJ, Slot.PEER_OBJ],
        memoryDestinations: [Slot.SELF_HST, Slot.SELF_DMA, Slot.SELF_DMA],
        dmaSpaces: [Slot.SELF_DMA],
        memorySource: Slot.SELF_HST,
        memorySourceBase: MEMORY_PAGE,
        memorySourcePages: 1n << BigInt(INITIAL_ORDER),
        revokeTargets: [],
        beliefs: beliefsOf(index) as SlotBeliefs,
        beliefsOf: (selector) => (selector === Slot.SELF_OBJ ? beliefsOf(index) : selector === Slot.PEER_OBJ ? beliefsOf((index % FUZZED_ACTORS) + 1) : undefined),
      },
    };
    await must("actor EC", api.createEc(at(index, RootActorSlot.EC), pd, { kind: "global", cpu, eventBase: EVENT_BASE, utcbAddress: 0x7f001n << 12n, body: actorBody(actor) }));
    await must("actor SC", api.createSc(at(index, RootActorSlot.SC), pd, at(index, RootActorSlot.EC), { priority: ACTOR_PRIORITY, budgetMs: 1 }));
    actors.push(actor);
  }
  const all = (slot: number): number[] => actors.map((actor) => at(actor.index, slot));
  const root: ActorView = {
    index: 0,
    cpu: 0,
    pds: [Slot.SELF_PD, ...all(RootActorSlot.PD)],
    objectSpaces: [Slot.SELF_OBJ, ...all(RootActorSlot.OBJ)],
    memoryDestinations: [...all(RootActorSlot.HST), ...all(RootActorSlot.DMA), ...all(RootActorSlot.DMA2)],
    dmaSpaces: [...all(RootActorSlot.DMA), ...all(RootActorSlot.DMA2)],
    memorySource: Slot.NOVA_HST,
    memorySourceBase: ARENA_FIRST_FRAME,
    memorySourcePages: ARENA_FRAMES,
    revokeTargets: all(RootActorSlot.OBJ),
    beliefs: beliefsOf(0) as SlotBeliefs,
    beliefsOf: (selector) => {
      if (selector === Slot.SELF_OBJ) return beliefsOf(0);
      const actor = actors.find((candidate) => at(candidate.index, RootActorSlot.OBJ) === selector);
      return actor === undefined ? undefined : beliefsOf(actor.index);
    },
  };
  return { root, actors };
}
