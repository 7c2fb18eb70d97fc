import type { ZodType } from "zod";
import type { Status } from "../abi/status.js";
import type { DeviceHandle, DomainMemoryView, PhysicalMemoryMap } from "./devices/device-api.js";

/**
 * A workload is what the ECs of a configured domain run. Its body is an async function over
 * the userland API below; the simulator resolves every promise the API returns, so only one EC
 * body executes at a time and a run is a pure function of configuration + seed. A body must only
 * await promises of this API (awaiting timers or I/O would hand control to the wall clock).
 */

/** What a hypercall returns: the status byte and the values returned in p1, p2, ... */
export interface HypercallResult {
  readonly status: Status;
  readonly results: readonly bigint[];
}

/** The 4 KiB UTCB of the calling EC in its regular layout: 512 64-bit message words (§1.6). */
export interface UtcbView {
  readonly length: 512;
  get(index: number): bigint;
  set(index: number, value: bigint): void;
}

/** What a portal handler receives: the callee starts at the portal IP with PID in p0, MTD in p1. */
export interface PortalCall {
  /** the portal's PID (ctrl_pt sets it) */
  readonly pid: bigint;
  /** the MTD of the call: the caller's p1, or the portal's MTD for an event */
  readonly mtd: bigint;
  /** the portal's entry IP (create_pt p3), so one local EC can serve several portals */
  readonly ip: bigint;
  /** for an event delivered as an implicit call: the event number relative to SELEVT */
  readonly event?: number;
  /** for an event: id of the EC that raised it */
  readonly sourceEc?: number;
}

/** The body of a global EC (or vCPU): runs once its first SC is bound and STARTUP is handled. */
export type EcBody = (api: UserlandApi) => Promise<void>;
/**
 * The body of a local EC: runs once per call on one of its portals, on the caller's donated SC.
 * Its result is the reply MTD (returning is the same as `api.reply(mtd)`).
 */
export type PortalHandler = (api: UserlandApi, call: PortalCall) => Promise<bigint | number>;

export type EcKind = "local" | "global" | "vcpu";

export interface CreateEcOptions {
  readonly kind: EcKind;
  readonly cpu: number;
  /** SELEVT: exceptions and NOVA events go to portal eventBase + event# */
  readonly eventBase: number;
  /** UTCB host-virtual address (hvp<<12); 0 lets the kernel choose (simulator default) */
  readonly utcbAddress?: bigint;
  readonly stackPointer?: bigint;
  /** F flag */
  readonly fpu?: boolean;
  /** T flag on a vCPU: time offsetting (EC_VCPU_OFFS) */
  readonly timeOffset?: boolean;
  /** code of the EC: an EcBody for global ECs, a PortalHandler for local ECs */
  readonly body?: EcBody;
  readonly handler?: PortalHandler;
}

export interface SchedulingParameters {
  /** 1..127 */
  readonly priority: number;
  /** 1..65535 ms */
  readonly budgetMs: number;
  /** class of service; 0 when unused */
  readonly cos?: number;
}

export interface DelegationRange {
  /** first selector (or page/port number) in the source space */
  readonly sourceBase: bigint | number;
  readonly destinationBase: bigint | number;
  /** log2 of the number of selectors/pages */
  readonly order: number;
  /** permissions of the copies = source permissions AND this mask */
  readonly permissionMask: number;
  /** memory attribute descriptor (used when the source is the NOVA host space) */
  readonly mad?: bigint | number;
}

export interface SemaphoreOperation {
  /** false = up (needs CTRL_UP), true = down (needs CTRL_DN) */
  readonly down: boolean;
  /** Z flag: down sets the counter to zero instead of decrementing */
  readonly zero?: boolean;
  /** absolute simulated-time deadline in ns (STC ticks at 1 GHz); 0 or omitted = none */
  readonly deadlineNs?: number;
}

export type Selector = bigint | number;

/**
 * The userland API of one EC. Non-blocking calls execute in the object layer; ipc_call,
 * ipc_reply and ctrl_sm are the simulator's. Every hypercall costs a small fixed amount of
 * simulated time (kernel entry/exit) so that loops of hypercalls advance the clock.
 */
export interface UserlandApi {
  /** kernel object id of the calling EC */
  readonly ecId: number;
  /** CPU the EC is bound to */
  readonly cpu: number;
  readonly utcb: UtcbView;
  /** consume `ns` of the current SC's budget; preemptible at budget expiry or by a higher priority */
  compute(ns: number): Promise<void>;
  /** raw hypercall: identifier byte (number | flags << 4), selector (bits 63:8 of p0), p1..p4 */
  hypercall(identifier: number, selector: Selector, args?: readonly bigint[]): Promise<HypercallResult>;
  /** create_pd; op 0 PD, 1 OBJ, 2 HST, 3 GST, 4 DMA, 5 PIO, 6 MSR */
  createPd(selector: Selector, pd: Selector, op: number): Promise<HypercallResult>;
  createEc(selector: Selector, pd: Selector, options: CreateEcOptions): Promise<HypercallResult>;
  createSc(selector: Selector, pd: Selector, ec: Selector, parameters: SchedulingParameters): Promise<HypercallResult>;
  createPt(selector: Selector, pd: Selector, ec: Selector, ip: bigint | number): Promise<HypercallResult>;
  createSm(selector: Selector, pd: Selector, count: bigint | number): Promise<HypercallResult>;
  ctrlPd(source: Selector, destination: Selector, range: DelegationRange): Promise<HypercallResult>;
  ctrlEc(ec: Selector, strong?: boolean): Promise<HypercallResult>;
  /** results[0] = consumed time in STC ticks (ns) */
  ctrlSc(sc: Selector): Promise<HypercallResult>;
  ctrlPt(pt: Selector, pid: bigint | number, mtd: bigint | number): Promise<HypercallResult>;
  ctrlSm(sm: Selector, operation: SemaphoreOperation): Promise<HypercallResult>;
  ctrlHw(descriptor: bigint | number, op: number): Promise<HypercallResult>;
  assignInt(sm: Selector, cpu: number, device: bigint | number, flags?: number): Promise<HypercallResult>;
  assignDev(dma: Selector, smmu: bigint | number, dad: bigint | number): Promise<HypercallResult>;
  /** ipc_call; `timeoutInsteadOfHelping` is the T flag. On SUCCESS results[0] is the reply MTD */
  call(pt: Selector, mtd: bigint | number, timeoutInsteadOfHelping?: boolean): Promise<HypercallResult>;
  /** ipc_reply from a portal handler: never returns (the handler's activation ends) */
  reply(mtd: bigint | number): Promise<never>;
  /**
   * raise architectural exception `vector` (e.g. 14 = #PF on x86): an implicit call to the portal
   * at SELEVT + vector (§2.6); resolves once the handler replied, or the EC is killed
   */
  exception(vector: number): Promise<void>;
  /** simulated time in ns */
  now(): number;
  /** console line, prefixed with the CPU like NOVA's trace output */
  log(line: string): void;
  /** the kernel's seeded PRNG (deterministic per seed) */
  randomU32(): number;
  /**
   * the PCI functions assigned to this EC's domain (config `devices`), in
   * configuration order, as handles a driver programs (sim/devices/device-api.ts). Other
   * domains' devices are unreachable. Device work costs simulated time, charged to this EC.
   */
  devices(): readonly DeviceHandle[];
  /** this domain's device at "SSSS:BB:DD.F" / "BB:DD.F"; NK-DEV-006 when the domain does not own it */
  device(address: string): DeviceHandle;
  /** the domain's own memory: its range (also the IOVAs its devices use) and CPU loads/stores */
  domainMemory(): DomainMemoryView | undefined;
  /**
   * a documented simulator helper, not a NOVA interface: where every domain's memory
   * and the kernel's tables lie in host-physical memory, which the DMA attack model assumes
   * an attacker knows. Workloads use it to aim attacks; it grants no access.
   */
  physicalMemoryMap(): PhysicalMemoryMap;
}

export interface WorkloadInstance {
  readonly domain: string;
  readonly ecIndex: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** capability selectors the root task prepared in the domain's object space, by role (e.g. "server", "sleep") */
  readonly selectors: Readonly<Record<string, number>>;
  /** record a result; it appears in DomainReport.results as "<key>" (summed over ECs for numbers) */
  report(key: string, value: string | number | boolean): void;
}

export interface WorkloadDefinition {
  readonly name: string;
  readonly description: string;
  /**
   * zod schema of `workloadOptions`: the root task validates the domain's
   * options before the domain is built (a bad option fails the boot with NK-DEV-050 naming the
   * field) and hands the parsed options, defaults filled in, to `instance.options`. Parsing
   * its own output must succeed again (no transforms that change types), so a body may re-parse.
   */
  readonly optionsSchema?: ZodType<Readonly<Record<string, unknown>>>;
  /** the body of EC `instance.ecIndex` of a domain */
  run(api: UserlandApi, instance: WorkloadInstance): Promise<void>;
  /**
   * When present, the domain serves IPC: the root task makes a local EC and a portal per
   * configured EC instead of global ECs with SCs, and this handles each call (the result is the
   * reply MTD). `run` is not called for such domains.
   */
  serve?(api: UserlandApi, call: PortalCall, instance: WorkloadInstance): Promise<bigint | number>;
}
