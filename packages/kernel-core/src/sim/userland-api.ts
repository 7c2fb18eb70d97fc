import { Hypercall } from "../abi/hypercall-numbers.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { EcRuntime } from "./runtime-objects.js";
import { HYPERCALL_COST_NS, type Simulator } from "./simulator.js";
import type {
  CreateEcOptions,
  DelegationRange,
  HypercallResult,
  SchedulingParameters,
  Selector,
  SemaphoreOperation,
  UserlandApi,
  UtcbView,
} from "./workload.js";

/** create_pd OP values (§2.3): the PD subtypes. */
export const CreatePdOp = { PD: 0, OBJ: 1, HST: 2, GST: 3, DMA: 4, PIO: 5, MSR: 6 } as const;
/** create_ec flags (§2.3): G vCPU, T global / time offset, F FPU. */
export const CreateEcFlag = { VCPU: 0x1, GLOBAL_OR_OFFSET: 0x2, FPU: 0x4 } as const;

const big = (value: bigint | number): bigint => BigInt.asUintN(64, BigInt(value));
const identifier = (number: number, flags: number): number => (number & 0xf) | ((flags & 0xf) << 4);

/** SCD (§2.5): budget ms bits 15:0, priority bits 22:16, COS bits 38:23. */
export function encodeScd(parameters: SchedulingParameters): bigint {
  return (
    (BigInt(parameters.budgetMs) & 0xffffn) |
    ((BigInt(parameters.priority) & 0x7fn) << 16n) |
    ((BigInt(parameters.cos ?? 0) & 0xffffn) << 23n)
  );
}

/** The userland API of EC `ec`: typed wrappers encode the registers exactly as §2.3 lays them out. */
export function createUserlandApi(sim: Simulator, ec: EcRuntime, log: (cpu: number, line: string) => void, randomU32: () => number): UserlandApi {
  const raw = (id: number, selector: Selector, args: readonly bigint[] = [], create?: Pick<CreateEcOptions, "body" | "handler">): Promise<HypercallResult> =>
    sim.request<HypercallResult>(ec, HYPERCALL_COST_NS, {
      kind: "hypercall",
      identifier: id,
      selector: BigInt.asUintN(56, BigInt(selector)),
      args: args.map((a) => BigInt.asUintN(64, a)),
      ...(create ? { create } : {}),
    });
  const utcb: UtcbView = {
    length: 512,
    get(index: number): bigint {
      checkWord(index);
      return ec.utcb[index]!;
    },
    set(index: number, value: bigint): void {
      checkWord(index);
      ec.utcb[index] = BigInt.asUintN(64, value);
    },
  };
  return {
    ecId: ec.id,
    cpu: ec.cpu,
    utcb,
    compute: (ns) => sim.request<void>(ec, Math.max(1, Math.round(ns)), { kind: "resume", value: undefined }),
    hypercall: (id, selector, args) => raw(id, selector, args ?? []),
    createPd: (selector, pd, op) => raw(identifier(Hypercall.create_pd, op), selector, [big(pd)]),
    createEc: (selector, pd, options) => {
      let flags = options.fpu ? CreateEcFlag.FPU : 0;
      if (options.kind === "vcpu") flags |= CreateEcFlag.VCPU | (options.timeOffset ? CreateEcFlag.GLOBAL_OR_OFFSET : 0);
      else if (options.kind === "global") flags |= CreateEcFlag.GLOBAL_OR_OFFSET;
      const hvpAndCpu = (big(options.utcbAddress ?? 0n) & ~0xfffn) | BigInt(options.cpu & 0xfff);
      return raw(identifier(Hypercall.create_ec, flags), selector, [big(pd), hvpAndCpu, big(options.stackPointer ?? 0n), big(options.eventBase)], {
        ...(options.body ? { body: options.body } : {}),
        ...(options.handler ? { handler: options.handler } : {}),
      });
    },
    createSc: (selector, pd, ecSelector, parameters) =>
      raw(Hypercall.create_sc, selector, [big(pd), big(ecSelector), encodeScd(parameters)]),
    createPt: (selector, pd, ecSelector, ip) => raw(Hypercall.create_pt, selector, [big(pd), big(ecSelector), big(ip)]),
    createSm: (selector, pd, count) => raw(Hypercall.create_sm, selector, [big(pd), big(count)]),
    ctrlPd: (source, destination, range: DelegationRange) =>
      raw(Hypercall.ctrl_pd, source, [
        big(destination),
        (big(range.sourceBase) << 12n) | BigInt(range.order & 0x1f),
        (big(range.destinationBase) << 12n) | BigInt(range.permissionMask & 0x1f),
        big(range.mad ?? 0),
      ]),
    ctrlEc: (ecSelector, strong) => raw(identifier(Hypercall.ctrl_ec, strong ? 1 : 0), ecSelector),
    ctrlSc: (sc) => raw(Hypercall.ctrl_sc, sc),
    ctrlPt: (pt, pid, mtd) => raw(Hypercall.ctrl_pt, pt, [big(pid), big(mtd)]),
    ctrlSm: (sm, operation: SemaphoreOperation) =>
      raw(identifier(Hypercall.ctrl_sm, (operation.down ? 1 : 0) | (operation.zero ? 2 : 0)), sm, [big(operation.deadlineNs ?? 0)]),
    ctrlHw: (descriptor, op) => raw(identifier(Hypercall.ctrl_hw, op), descriptor),
    assignInt: (sm, cpu, device, flags) => raw(identifier(Hypercall.assign_int, flags ?? 0), sm, [BigInt(cpu), big(device)]),
    assignDev: (dma, smmu, dad) => raw(Hypercall.assign_dev, dma, [big(smmu), big(dad)]),
    call: (pt, mtd, timeoutInsteadOfHelping) => raw(identifier(Hypercall.ipc_call, timeoutInsteadOfHelping ? 1 : 0), pt, [big(mtd)]),
    reply: (mtd) => raw(Hypercall.ipc_reply, 0, [big(mtd)]) as Promise<never>,
    exception: (vector) =>
      sim.request<void>(ec, HYPERCALL_COST_NS, { kind: "event", event: vector }),
    now: () => sim.nowNs(),
    log: (line) => log(ec.cpu, line),
    randomU32,
    // an EC outside a configured domain (the root task, test bodies) owns no devices; the root
    // task replaces these four for the ECs of domains (boot/root-task.ts)
    devices: () => [],
    device: (address) => {
      throw new NovakitError("NK-DEV-006", `device ${address} is not assigned to the domain of EC ${ec.id}`, { field: "devices" });
    },
    domainMemory: () => undefined,
    physicalMemoryMap: () => ({ domains: [], kernel: [] }),
  };
}

function checkWord(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= 512) {
    throw new NovakitError("NK-KRN-211", `UTCB word index ${index} is outside 0..511`, { field: "utcb" });
  }
}
