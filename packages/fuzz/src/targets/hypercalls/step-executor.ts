import { Hypercall, MemoryCapabilityPermission, SELNUM, Status, type EcBody, type HypercallName, type HypercallResult, type PortalHandler, type UserlandApi } from "@novakit/kernel-core";
import { StepKind, type ProgramStep } from "./program-step.js";
import { CREATE_PD_KINDS, type SlotBeliefs, type SlotKind } from "./slot-kinds.js";
import type { StatusHistogram } from "./status-histogram.js";
import { EMPTY_RANGE, EVENT_BASE, MEMORY_PAGE, Slot, UTCB_PAGE, WINDOW_BASE, WINDOW_ORDER, WINDOW_SLOTS } from "./world-layout.js";

/** What one actor (the root or a fuzzed PD) can name in its own object space. */
export interface ActorView {
  /** 0 = the root PD */
  readonly index: number;
  readonly cpu: number;
  readonly pds: readonly number[];
  readonly objectSpaces: readonly number[];
  /** spaces memory may be delegated into (HST, DMA, GST) */
  readonly memoryDestinations: readonly number[];
  readonly dmaSpaces: readonly number[];
  /** the host space memory comes from: the NOVA host space (root) or the PD's own */
  readonly memorySource: number;
  /** first page of the source range the program draws from */
  readonly memorySourceBase: bigint;
  readonly memorySourcePages: bigint;
  /** root only: the fuzzed PDs' object spaces, whose windows it may revoke */
  readonly revokeTargets: readonly number[];
  /** what this actor's own window holds, as far as the fuzzer knows */
  readonly beliefs: SlotBeliefs;
  /** the beliefs about the window of the object space an object-space selector names, if known */
  beliefsOf(objectSpaceSelector: number): SlotBeliefs | undefined;
}

/** The machine-wide facts and the code fuzzed ECs run. */
export interface ExecutionEnvironment {
  readonly histogram: StatusHistogram;
  readonly cpus: number;
  /** MMIO base of the AMD IOMMU (assign_dev p1) */
  readonly iommuBase: bigint;
  /** DADs of the machine's PCI functions, DMA-capable ones first */
  readonly devices: readonly bigint[];
  readonly handler: PortalHandler;
  readonly globalBody: EcBody;
}

const windowSlot = (byte: number): number => WINDOW_BASE + (byte % WINDOW_SLOTS);
const ALL_MEMORY = MemoryCapabilityPermission.R | MemoryCapabilityPermission.W | MemoryCapabilityPermission.XU | MemoryCapabilityPermission.XS;
/** a fuzzed PD's own capabilities at fixed slots (what a raw call names besides the window) */
const ACTOR_OWN_SLOTS: readonly number[] = [Slot.SELF_PD, Slot.SELF_OBJ, Slot.SELF_HST, Slot.SELF_DMA, Slot.SELF_PIO];
/** the root holds only its PD and object space at those slots (prepareRoot); the others are free */
const ROOT_OWN_SLOTS: readonly number[] = [Slot.SELF_PD, Slot.SELF_OBJ];
/** how long a fuzzed down waits at most (absolute deadlines are now + this) */
const DOWN_DEADLINE_NS = 20_000;

/**
 * Turns one decoded step into hypercalls of `actor`, issued through its own userland API, and
 * records every status. Arguments are steered towards valid values (selectors of the right
 * type, aligned ranges, valid descriptors) so that state gets deep; an adversarial step, or a
 * parameter byte in the high range, bends them: wrong types, missing permissions, unaligned or
 * oversized ranges, bad CPUs, bad descriptors.
 */
export class StepExecutor {
  constructor(private readonly environment: ExecutionEnvironment) {}

  async execute(api: UserlandApi, actor: ActorView, step: ProgramStep): Promise<void> {
    const p = step.parameters;
    const byte = (i: number): number => p[i] ?? 0;
    const bad = step.adversarial;
    const pick = (list: readonly number[], b: number): number => this.pick(list, b, bad);
    // a window slot believed to hold one of `kinds` (most of the time, when there is one)
    const typed = (b: number, ...kinds: SlotKind[]): number => {
      const slots = actor.beliefs.slotsOf(...kinds);
      return !bad && slots.length > 0 && b < 200 ? (slots[b % slots.length] as number) : windowSlot(b);
    };
    const created = (result: HypercallResult, slot: number, kind: SlotKind | undefined): void => {
      if (result.status === Status.SUCCESS) actor.beliefs.set(slot, kind);
    };
    // deep state needs chains (local EC -> portal -> call; global EC -> SC): a valid step whose
    // operand does not exist yet first makes one, so programs reach IPC and scheduling often
    const ensure = async (kind: "ec-local" | "ec-global" | "pt" | "sm" | "sc", b: number): Promise<void> => {
      if (bad || actor.beliefs.slotsOf(kind).length > 0 || b >= 160) return;
      const slot = windowSlot(b + 7);
      if (kind === "ec-local" || kind === "ec-global") {
        const global = kind === "ec-global";
        const utcbAddress = (UTCB_PAGE + BigInt(actor.index * WINDOW_SLOTS + (slot - WINDOW_BASE))) << 12n;
        const code = global ? { body: this.environment.globalBody } : { handler: this.environment.handler };
        created(await this.call("create_ec", api.createEc(slot, Slot.SELF_PD, { kind: global ? "global" : "local", cpu: actor.cpu, eventBase: EVENT_BASE, utcbAddress, ...code })), slot, kind);
      } else if (kind === "pt") {
        await ensure("ec-local", b);
        const ec = actor.beliefs.slotsOf("ec-local")[0];
        if (ec !== undefined) created(await this.call("create_pt", api.createPt(slot, Slot.SELF_PD, ec, b)), slot, "pt");
      } else if (kind === "sc") {
        await ensure("ec-global", b);
        const ec = actor.beliefs.slotsOf("ec-global")[0];
        if (ec !== undefined) created(await this.call("create_sc", api.createSc(slot, Slot.SELF_PD, ec, { priority: 1 + (b % 20), budgetMs: 1 })), slot, "sc");
      } else {
        created(await this.call("create_sm", api.createSm(slot, Slot.SELF_PD, b % 2)), slot, "sm");
      }
    };
    switch (step.kind) {
      case StepKind.CREATE_PD: {
        const op = bad ? byte(0) % 16 : [0, 0, 1, 2, 3, 4, 4, 5, 6][byte(0) % 9] as number;
        const slot = windowSlot(byte(1));
        created(await this.call("create_pd", api.createPd(slot, byte(2) < 128 ? pick(actor.pds, byte(2)) : typed(byte(2), "pd"), op)), slot, CREATE_PD_KINDS[op]);
        return;
      }
      case StepKind.CREATE_EC: {
        const slot = windowSlot(byte(1));
        // mostly on the actor's own CPU, where its portals can be called (IPC is same-CPU only)
        const cpu = bad ? byte(3) % (this.environment.cpus + 2) : byte(3) < 160 ? actor.cpu : byte(3) % this.environment.cpus;
        const global = byte(0) % 3 === 0;
        const utcbAddress = (UTCB_PAGE + BigInt(actor.index * WINDOW_SLOTS + (slot - WINDOW_BASE))) << 12n;
        if (bad && byte(4) % 2 === 0) {
          // raw flags: vCPUs, FPU, any combination, and an address beyond the host space
          const placement = (byte(5) % 2 === 0 ? 1n << 60n : utcbAddress) | BigInt(cpu);
          await this.call("create_ec", api.hypercall(Hypercall.create_ec | ((byte(0) & 0xf) << 4), slot, [BigInt(pick(actor.pds, byte(2))), placement, 0n, BigInt(EVENT_BASE)]));
          return;
        }
        const code = global ? { body: this.environment.globalBody } : { handler: this.environment.handler };
        created(
          await this.call("create_ec", api.createEc(slot, pick(actor.pds, byte(2)), { kind: global ? "global" : "local", cpu, eventBase: EVENT_BASE, utcbAddress, ...code })),
          slot,
          global ? "ec-global" : "ec-local",
        );
        return;
      }
      case StepKind.CREATE_SC: {
        const priority = bad ? byte(3) % 130 : 1 + (byte(3) % 40);
        const budgetMs = bad ? byte(4) % 3 : 1 + (byte(4) % 2);
        const scd = (BigInt(priority & 0x7f) << 16n) | BigInt(budgetMs) | (bad ? BigInt(byte(5)) << 23n : 0n);
        await ensure("ec-global", byte(2));
        const slot = windowSlot(byte(0));
        created(await this.call("create_sc", api.hypercall(Hypercall.create_sc, slot, [BigInt(pick(actor.pds, byte(1))), BigInt(typed(byte(2), "ec-global")), scd])), slot, "sc");
        return;
      }
      case StepKind.CREATE_PT: {
        await ensure("ec-local", byte(2));
        const slot = windowSlot(byte(0));
        created(await this.call("create_pt", api.createPt(slot, pick(actor.pds, byte(1)), bad ? pick([], byte(2)) : typed(byte(2), "ec-local"), byte(3))), slot, "pt");
        return;
      }
      case StepKind.CREATE_SM: {
        const slot = windowSlot(byte(0));
        created(await this.call("create_sm", api.createSm(slot, pick(actor.pds, byte(1)), bad ? (1n << 64n) - 1n : BigInt(byte(2) % 3))), slot, "sm");
        return;
      }
      case StepKind.DELEGATE_OBJECTS: {
        // copies between object spaces; overlapping ranges and narrower masks are the common case
        const order = bad ? byte(4) % 20 : byte(4) % (WINDOW_ORDER + 1);
        const align = (value: number): number => (bad ? value : value & ~((1 << order) - 1));
        // the root never hands out its own PD or object space: a PD with GRANT on the root's
        // object space could overwrite the fuzzer's setup capabilities (or hide objects from teardown)
        const specials = actor.index === 0 ? [Slot.INTERRUPT_SM, Slot.HANDLER_SM] : [Slot.SELF_PD, Slot.SELF_OBJ, Slot.SELF_HST, Slot.SELF_DMA];
        const sourceBase = byte(2) < 200 ? align(typed(byte(3), "pt", "sm", "ec-local", "ec-global", "pd", "dma", "obj", "sc")) : this.pick(specials, byte(3), false);
        const destinationBase = align(windowSlot(byte(6)));
        const permissionMask = byte(5) < 128 ? 0x1f : byte(5) & 0x1f;
        const source = pick(actor.objectSpaces, byte(0));
        const destination = pick(actor.objectSpaces, byte(1));
        const result = await this.call("ctrl_pd", api.ctrlPd(source, destination, { sourceBase, destinationBase, order, permissionMask }));
        const from = actor.beliefsOf(source);
        const to = actor.beliefsOf(destination);
        if (result.status === Status.SUCCESS && to !== undefined && order <= WINDOW_ORDER) {
          const copied: (SlotKind | undefined)[] = [];
          for (let i = 0; i < 1 << order; i++) copied.push(permissionMask === 0 ? undefined : from?.get(sourceBase + i));
          copied.forEach((kind, i) => to.set(destinationBase + i, kind));
        }
        return;
      }
      case StepKind.DELEGATE_MEMORY: {
        // orders up to 10 cross the 2 MiB large-page boundary: partial large pages get split
        const order = bad ? byte(4) % 32 : [0, 0, 1, 2, 3, 4, 9, 10][byte(4) % 8] as number;
        const span = 1n << BigInt(order);
        const alignDown = (page: bigint): bigint => (bad ? page : page & ~(span - 1n));
        const offset = (BigInt(byte(2)) * 16n) % actor.memorySourcePages;
        const sourceBase = alignDown(actor.memorySourceBase + offset);
        const destinationBase = alignDown(MEMORY_PAGE + BigInt(byte(3)) * 8n);
        const permissionMask = byte(5) < 100 ? ALL_MEMORY : byte(5) & 0x1f;
        const mad = bad && byte(6) % 2 === 0 ? 5n : 0n;
        const windowSpaces = actor.beliefs.slotsOf("hst", "dma", "gst");
        const destination = byte(1) < 64 && windowSpaces.length > 0 ? (windowSpaces[byte(1) % windowSpaces.length] as number) : pick(actor.memoryDestinations, byte(1));
        await this.call("ctrl_pd", api.ctrlPd(byte(0) < 230 ? actor.memorySource : pick(actor.objectSpaces, byte(0)), destination, { sourceBase, destinationBase, order, permissionMask, mad }));
        return;
      }
      case StepKind.CTRL_EC:
        await this.call("ctrl_ec", api.ctrlEc(typed(byte(0), "ec-local", "ec-global"), byte(1) % 2 === 0));
        return;
      case StepKind.CTRL_SC:
        await ensure("sc", byte(1));
        await this.call("ctrl_sc", api.ctrlSc(bad ? pick(actor.pds, byte(0)) : typed(byte(0), "sc")));
        return;
      case StepKind.CTRL_PT:
        // the PID picks the handler's behaviour (reply, nested call, fault, block)
        await ensure("pt", byte(3));
        await this.call("ctrl_pt", api.ctrlPt(typed(byte(0), "pt"), byte(1), byte(2)));
        return;
      case StepKind.SM_UP:
        await ensure("sm", byte(1));
        await this.call("ctrl_sm", api.ctrlSm(bad ? pick(actor.pds, byte(0)) : typed(byte(0), "sm"), { down: false }));
        return;
      case StepKind.SM_DOWN: {
        // mostly with a deadline; without one the PD blocks until someone ups the semaphore
        await ensure("sm", byte(4));
        const deadlineNs = byte(1) < 30 && actor.index !== 0 ? 0 : api.now() + 1 + (byte(2) * DOWN_DEADLINE_NS) / 256;
        await this.call("ctrl_sm", api.ctrlSm(typed(byte(0), "sm"), { down: true, zero: byte(3) % 2 === 0, deadlineNs: Math.floor(deadlineNs) }));
        return;
      }
      case StepKind.IPC_CALL:
        // the portal may sit on another CPU (BAD_CPU), be busy (helping, or TIMEOUT with T), or die mid-call
        await ensure("pt", byte(4));
        await this.call("ipc_call", api.call(bad ? pick(actor.pds, byte(0)) : typed(byte(0), "pt"), BigInt(byte(1)) | (BigInt(byte(2)) << 8n), byte(3) % 3 === 0));
        return;
      case StepKind.ASSIGN_DEV: {
        // the same device to different DMA spaces in turn: each move must transfer the reference
        const devices = this.environment.devices;
        // valid DADs name the machine's PCI functions; the others are refused (another segment:
        // BAD_DEV, bits above 31: BAD_PAR), so every device table reference stays visible to the checker
        const dad = byte(2) < 200 ? (devices[byte(3) % Math.max(1, devices.length)] ?? 0n) : [0x1_00fan, 1n << 32n, (1n << 40n) | 0xfan][byte(3) % 3] as bigint;
        const smmu = byte(1) < 230 ? this.environment.iommuBase : BigInt(byte(1)) << 12n;
        const windowDma = actor.beliefs.slotsOf("dma");
        const dma = byte(0) < 64 && windowDma.length > 0 ? (windowDma[byte(0) % windowDma.length] as number) : pick(actor.dmaSpaces, byte(0));
        await this.call("assign_dev", api.assignDev(dma, smmu, dad));
        return;
      }
      case StepKind.ASSIGN_INT:
        await this.call("assign_int", api.assignInt(byte(0) < 200 ? Slot.INTERRUPT_SM : windowSlot(byte(0)), byte(1) % (this.environment.cpus + 1), this.environment.devices[0] ?? BigInt(byte(2)), byte(3) & 0xf));
        return;
      case StepKind.CTRL_HW: {
        // OP 0 (ACPI sleep/reset) would end the simulated machine: only the QoS ops and invalid ones
        const op = bad ? 1 + (byte(0) % 15) : 4 + (byte(0) % 4);
        await this.call("ctrl_hw", api.ctrlHw(BigInt(byte(1)) | (BigInt(byte(2)) << 16n), op));
        return;
      }
      case StepKind.REVOKE_WINDOW: {
        // revocation by overwrite (nova.md §1.8): the window copied onto itself with a narrower
        // mask, or nulls from an empty range; objects whose last capability goes die (dying partners)
        const target = pick(actor.revokeTargets.length > 0 ? actor.revokeTargets : actor.objectSpaces, byte(0));
        const order = byte(2) % (WINDOW_ORDER + 1);
        const base = WINDOW_BASE + ((byte(3) % WINDOW_SLOTS) & ~((1 << order) - 1));
        const narrow = byte(1) % 2 === 0;
        const beliefs = actor.beliefsOf(target);
        if (!narrow && beliefs !== undefined) for (let i = 0; i < 1 << order; i++) beliefs.set(base + i, undefined);
        await this.call(
          "ctrl_pd",
          narrow
            ? api.ctrlPd(target, target, { sourceBase: base, destinationBase: base, order, permissionMask: byte(4) & 0x1f })
            : api.ctrlPd(Slot.SELF_OBJ, target, { sourceBase: EMPTY_RANGE, destinationBase: base, order, permissionMask: 0 }),
        );
        return;
      }
      case StepKind.RAW:
        await this.raw(api, actor, step);
        return;
    }
  }

  /** any hypercall number with any flags and arguments near the window */
  private async raw(api: UserlandApi, actor: ActorView, step: ProgramStep): Promise<void> {
    const p = step.parameters;
    const byte = (i: number): number => p[i] ?? 0;
    let number = byte(0) & 0xf;
    let flags = byte(0) >> 4;
    const args = [BigInt(byte(2)), (BigInt(byte(3)) << 12n) | BigInt(byte(4) & 0x1f), (BigInt(byte(5)) << 12n) | BigInt(byte(6) & 0x1f), BigInt(byte(7))];
    // a reply outside a call waits for a call forever; for the root that would end the program
    if (number === Hypercall.ipc_reply && actor.index === 0) number = 0xf;
    // ACPI sleep/reset ends the machine
    if (number === Hypercall.ctrl_hw && flags === 0) flags = 4;
    if (number === Hypercall.ctrl_sm && (flags & 1) !== 0 && actor.index === 0) args[0] = BigInt(api.now() + DOWN_DEADLINE_NS);
    // the root's own object space holds the fuzzer's setup capabilities: a raw copy of the root
    // may only go to and from its window (a narrowing copy over them would break every later world)
    if (number === Hypercall.ctrl_pd && actor.index === 0) {
      args[0] = BigInt(windowSlot(byte(2)));
      args[1] = (BigInt(windowSlot(byte(3))) << 12n) | BigInt(byte(4) % (WINDOW_ORDER + 1));
    }
    // high selectors lie beyond the object space (BAD_CAP). A create_* inserts at the selector,
    // so a raw call may only name slots the teardown clears or that are taken: a fuzzed PD's
    // 0 .. 2^TEARDOWN_ORDER - 1 are nulled, but the root's SELF_HST/SELF_DMA/SELF_PIO are free
    // slots outside its window and region, and an object created there outlived its world
    // (seed 22, boot 8, program 186: a raw create_sm of the root at 0x12)
    const selector = byte(1) < 200 ? windowSlot(byte(1)) : byte(1) < 230 ? this.pick(actor.index === 0 ? ROOT_OWN_SLOTS : ACTOR_OWN_SLOTS, byte(1), false) : SELNUM + byte(1);
    const name = (Object.keys(Hypercall) as HypercallName[]).find((candidate) => Hypercall[candidate] === number);
    const outcome = api.hypercall(number | (flags << 4), selector, args);
    if (name === undefined) {
      // slot 0xF is reserved (BAD_HYP): recorded apart from the named calls
      const result = await outcome;
      this.environment.histogram.recordReserved(result.status);
      return;
    }
    await this.call(name, outcome);
  }

  private pick(list: readonly number[], byte: number, adversarial: boolean): number {
    if (adversarial || list.length === 0 || byte >= 240) {
      // a wrong type, an empty slot, or a selector outside the object space
      const wrong = [windowSlot(byte), Slot.GO, Slot.SELF_PIO, EMPTY_RANGE + byte, 1 << 20, Slot.SELF_HST];
      return wrong[byte % wrong.length] as number;
    }
    return list[byte % list.length] as number;
  }

  private async call(name: HypercallName, outcome: Promise<HypercallResult>): Promise<HypercallResult> {
    const result = await outcome;
    this.environment.histogram.record(name, result.status);
    return result;
  }
}
