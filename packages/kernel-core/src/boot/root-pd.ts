import {
  EC_PERMISSIONS_DEFINED,
  MemoryCapabilityPermission,
  PD_PERMISSIONS_DEFINED,
  SC_PERMISSIONS_DEFINED,
  SPACE_PERMISSIONS_DEFINED,
  SpacePermission,
} from "../abi/permissions.js";
import { Status, statusName } from "../abi/status.js";
import { NovaObjectSelector, RootObjectSelector } from "../abi/well-known-selectors.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { Creation } from "../kernel-state/creation.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { AllocationSite } from "../kernel-state/kernel-allocation-policy.js";
import { DEFAULT_ATTRIBUTES } from "../memory/page-table-format.js";
import { makeCapability } from "../objects/capability.js";
import type { ExecutionContext } from "../objects/execution-context.js";
import { HostSpace } from "../objects/host-space.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { ObjectSpace } from "../objects/object-space.js";
import { PioSpace } from "../objects/pio-space.js";
import type { ProtectionDomain } from "../objects/protection-domain.js";
import type { SchedulingContext } from "../objects/scheduling-context.js";

/** SC_ROOT (§8.5): priority 127, 1000 ms budget, COS 0. */
export const ROOT_SC_PRIORITY = 127;
export const ROOT_SC_BUDGET_NS = 1000 * 1_000_000;

/** A PT_LOAD segment of the root ELF, mapped directly from physical memory (§8.5). */
export interface RootSegment {
  readonly physicalAddress: bigint;
  readonly virtualAddress: bigint;
  /** bytes (filesz = memsz) */
  readonly size: bigint;
  /** ELF p_flags: bit0 X, bit1 W, bit2 R */
  readonly flags: number;
}

export interface RootPdOptions {
  /** the HIP bytes (buildHip); copied into a fresh frame mapped at the top user page */
  readonly hip: Uint8Array;
  readonly segments?: readonly RootSegment[];
  /** the root PD's quota limit; default KernelStateOptions.rootQuotaBytes */
  readonly quotaBytes?: number;
}

export interface RootPd {
  readonly pd: ProtectionDomain;
  readonly objectSpace: ObjectSpace;
  readonly hostSpace: HostSpace;
  /** x86 only */
  readonly pioSpace: PioSpace | undefined;
  readonly ec: ExecutionContext;
  readonly sc: SchedulingContext;
  /** user address of the HIP (the top user page) = the root EC's initial stack pointer (§8.2) */
  readonly hipAddress: bigint;
  readonly hipFrame: bigint;
  /** user address of the UTCB, one page below the HIP */
  readonly utcbAddress: bigint;
  readonly utcbFrame: bigint;
}

function must<T>(creation: Creation<T>, what: string): T {
  if (!creation.ok) {
    throw new NovakitError("NK-KRN-106", `creating the root ${what} failed with ${statusName(creation.status)}`, { field: `root.${what}` }, "the kernel quota or physical memory is too small for the root PD");
  }
  return creation.object;
}

function check(status: Status, what: string): void {
  if (status !== Status.SUCCESS) {
    throw new NovakitError("NK-KRN-106", `setting up the root ${what} failed with ${statusName(status)}`, { field: `root.${what}` });
  }
}

/**
 * Create the root PD exactly as NOVA does (reference/nova.md §8.5, §1.5): PD_ROOT with OBJ, HST
 * and (x86) PIO spaces whose capabilities sit in the NOVA object space (SELNUM-6/-7/-8, root PD
 * at SELNUM-9); EC_ROOT, a global EC with FPU and event base 0 on the BSP; SC_ROOT (prio 127,
 * 1000 ms, COS 0), made runnable through the runtime; the five root object-space selectors; the
 * HIP read-only (K|U|R) at the top user page with the UTCB below it; the root ELF's PT_LOAD
 * segments mapped in place. Everything else is empty: the root takes the rest from the NOVA
 * spaces through its TAKE capability.
 */
export function createRootPd(state: KernelState, options: RootPdOptions): RootPd {
  if (state.rootPd !== undefined) {
    throw new NovakitError("NK-KRN-106", "the root PD exists already", { field: "root" });
  }
  const nova = state.novaObjectSpace;
  const pd = must(state.createProtectionDomain(state.novaPd, "root", options.quotaBytes ?? state.rootQuotaBytes), "PD");
  check(state.insertNew(nova, BigInt(NovaObjectSelector.ROOT_PD), pd, PD_PERMISSIONS_DEFINED), "PD capability");
  const objectSpace = must(state.createSpace("OBJ", pd), "object space");
  check(state.insertNew(nova, BigInt(NovaObjectSelector.ROOT_OBJ), objectSpace, SPACE_PERMISSIONS_DEFINED.OBJ), "object space capability");
  const hostSpace = must(state.createSpace("HST", pd), "host space");
  check(state.insertNew(nova, BigInt(NovaObjectSelector.ROOT_HST), hostSpace, SPACE_PERMISSIONS_DEFINED.HST), "host space capability");
  let pioSpace: PioSpace | undefined;
  if (state.platform.arch === "x86_64") {
    pioSpace = must(state.createSpace("PIO", pd), "PIO space") as PioSpace;
    check(state.insertNew(nova, BigInt(NovaObjectSelector.ROOT_PIO), pioSpace, SPACE_PERMISSIONS_DEFINED.PIO), "PIO space capability");
  }
  if (!(objectSpace instanceof ObjectSpace) || !(hostSpace instanceof HostSpace)) {
    throw new NovakitError("NK-KRN-106", "root spaces have unexpected kinds", { field: "root" });
  }

  const hipAddress = hostSpace.topUserPage;
  const utcbAddress = hipAddress - 0x1000n;
  const ec = must(
    state.createExecutionContext(pd, { kind: "global", cpu: state.bootCpu, fpu: true, eventBase: 0n, hostAddress: utcbAddress, stackPointer: hipAddress }),
    "EC",
  );
  check(state.insertNew(objectSpace, BigInt(RootObjectSelector.ROOT_EC), ec, EC_PERMISSIONS_DEFINED), "EC capability");
  const sc = must(state.createSchedulingContext(pd, ec, ROOT_SC_PRIORITY, ROOT_SC_BUDGET_NS, 0), "SC");
  check(state.insertNew(objectSpace, BigInt(RootObjectSelector.ROOT_SC), sc, SC_PERMISSIONS_DEFINED), "SC capability");
  ec.boundScs += 1;

  const storeCopy = (selector: number, object: KernelObject, permissions: number, what: string): void =>
    check(state.store(objectSpace, selector, makeCapability(object, permissions)), what);
  storeCopy(RootObjectSelector.NOVA_OBJ, nova, SpacePermission.TAKE, "NOVA object space capability");
  storeCopy(RootObjectSelector.ROOT_OBJ, objectSpace, SPACE_PERMISSIONS_DEFINED.OBJ, "object space self capability");
  storeCopy(RootObjectSelector.ROOT_PD, pd, PD_PERMISSIONS_DEFINED, "PD self capability");

  const { R } = MemoryCapabilityPermission;
  const hipFrame = allocateFrame(state, "HIP");
  state.memory.writeBytes(hipFrame, options.hip);
  check(state.mapKernelPage(hostSpace, hipAddress, hipFrame, R), "HIP mapping");
  // createExecutionContext mapped the UTCB (K|U|R|W) at utcbAddress already
  const utcbFrame = ec.utcbFrame;
  if (utcbFrame === undefined) throw new NovakitError("NK-KRN-106", "the root EC has no UTCB frame", { field: "root.utcb" });
  for (const [index, segment] of (options.segments ?? []).entries()) mapSegment(state, hostSpace, segment, index);

  state.rootPd = pd;
  for (const object of [pd, objectSpace, hostSpace, ...(pioSpace !== undefined ? [pioSpace] : []), ec, sc]) {
    state.announce(object, object === pd ? state.novaPd : pd);
  }
  state.runtime.ecCreated(ec.id);
  state.runtime.scCreated(sc.id);
  return { pd, objectSpace, hostSpace, pioSpace, ec, sc, hipAddress, hipFrame, utcbAddress, utcbFrame };
}

function allocateFrame(state: KernelState, what: string): bigint {
  const frame = state.allocationPolicy.allow(AllocationSite.HIP_FRAME) ? state.frames.allocate() : undefined;
  if (frame === undefined) throw new NovakitError("NK-KRN-106", `no physical frame left for the root ${what}`, { field: `root.${what}` });
  state.memory.zeroFrame(frame);
  state.allocationPolicy.framesTaken(AllocationSite.HIP_FRAME, frame, 1, undefined);
  return frame;
}

/** PT_LOAD -> direct mapping: R from p_flags bit2, W from bit1, XU from bit0, plus U (§8.5). */
function mapSegment(state: KernelState, space: HostSpace, segment: RootSegment, index: number): void {
  const where = { field: `root.segments[${index}]` };
  if ((segment.physicalAddress & 0xfffn) !== (segment.virtualAddress & 0xfffn)) {
    throw new NovakitError("NK-KRN-109", "root ELF segment: vaddr and paddr differ modulo 4 KiB", where, "NOVA maps root segments in place, so both must share the page offset");
  }
  const { R, W, XU } = MemoryCapabilityPermission;
  const permissions = (segment.flags & 4 ? R : 0) | (segment.flags & 2 ? W : 0) | (segment.flags & 1 ? XU : 0);
  let virtualPage = segment.virtualAddress >> 12n;
  let physicalPage = segment.physicalAddress >> 12n;
  const end = (segment.virtualAddress + segment.size + 0xfffn) >> 12n;
  while (virtualPage < end) {
    let order = 0;
    while (order < 18) {
      const next = 1n << BigInt(order + 1);
      if (virtualPage % next !== 0n || physicalPage % next !== 0n || virtualPage + next > end) break;
      order += 1;
    }
    if (permissions !== 0) {
      const outcome = space.table.map(virtualPage << 12n, physicalPage << 12n, order, permissions, DEFAULT_ATTRIBUTES);
      if (!outcome.ok) throw new NovakitError("NK-KRN-109", `root ELF segment could not be mapped (${outcome.status})`, where);
      state.hooks.mapped.call({ kind: "HST", spaceId: space.id, ownerPd: space.pd.id, page: virtualPage, order, frame: physicalPage, permissions });
    }
    virtualPage += 1n << BigInt(order);
    physicalPage += 1n << BigInt(order);
  }
}
