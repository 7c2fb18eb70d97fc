import { AffinityState, decodeFunctionId, psci32, psci64, PsciFunction, PsciReturn, SmcccOwner, type AffinityStateValue } from "./smccc.js";

export interface PsciVersion {
  readonly major: number;
  readonly minor: number;
}

export interface PsciFirmwareOptions {
  /** MPIDR affinity of every CPU the platform has */
  readonly cpus: readonly bigint[];
  /** the CPU the firmware started (ON at reset); the others are OFF until CPU_ON */
  readonly bootCpu: bigint;
  /** the version the firmware implements (from /psci compatible) */
  readonly version: PsciVersion;
  /** physical RAM ranges: a CPU_ON entry point outside them is INVALID_ADDRESS */
  readonly ram: readonly { readonly base: bigint; readonly size: bigint }[];
}

/** What a call did besides its return value. */
export interface PsciOutcome {
  /** the value returned in x0 (w0 for SMC32), as a signed number */
  readonly value: number;
  /** the call does not return to the caller on success (CPU_OFF, SYSTEM_OFF, SYSTEM_RESET) */
  readonly noReturn: boolean;
}

/** A CPU that CPU_ON started: where it begins and the context id it gets in x0. */
export interface PendingEntry {
  readonly entry: bigint;
  readonly contextId: bigint;
}

type SystemState = "running" | "off" | "reset";

/**
 * PSCI firmware as a per-kernel state machine (reference/platform.md §3, nova.md §9): every CPU
 * is OFF except the boot CPU until CPU_ON; CPU_ON makes a CPU ON_PENDING until it starts
 * executing (`cpuStarted`), then ON; CPU_OFF turns the caller OFF; SYSTEM_OFF / SYSTEM_RESET end
 * the system (later calls are DENIED in this model). PSCI_FEATURES exists from 1.0 on;
 * functions the model does not implement (CPU_SUSPEND, MIGRATE, ...) are NOT_SUPPORTED.
 * Both the SMC32 and SMC64 ids are accepted where the specification defines both.
 */
export class PsciFirmware {
  private readonly states = new Map<bigint, AffinityStateValue>();
  private readonly pending = new Map<bigint, PendingEntry>();
  private system: SystemState = "running";

  constructor(private readonly options: PsciFirmwareOptions) {
    for (const cpu of options.cpus) this.states.set(cpu, cpu === options.bootCpu ? AffinityState.ON : AffinityState.OFF);
  }

  get systemState(): SystemState {
    return this.system;
  }

  /** The state AFFINITY_INFO would report, or undefined for an unknown MPIDR. */
  stateOf(mpidr: bigint): AffinityStateValue | undefined {
    return this.states.get(mpidr);
  }

  /** Where a CPU that CPU_ON started begins (until it has started). */
  pendingEntryOf(mpidr: bigint): PendingEntry | undefined {
    return this.pending.get(mpidr);
  }

  /** The CPU began executing at its entry point: ON_PENDING -> ON. */
  cpuStarted(mpidr: bigint): void {
    if (this.states.get(mpidr) === AffinityState.ON_PENDING) {
      this.states.set(mpidr, AffinityState.ON);
      this.pending.delete(mpidr);
    }
  }

  /** The ids this firmware answers (PSCI_FEATURES reports SUCCESS for them). */
  implemented(functionId: number): boolean {
    const { PSCI_VERSION, CPU_OFF, CPU_ON, AFFINITY_INFO, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES } = PsciFunction;
    const ids = [psci32(PSCI_VERSION), psci32(CPU_OFF), psci32(CPU_ON), psci64(CPU_ON), psci32(AFFINITY_INFO), psci64(AFFINITY_INFO), psci32(SYSTEM_OFF), psci32(SYSTEM_RESET)];
    if (this.atLeast(1, 0)) ids.push(psci32(PSCI_FEATURES));
    return ids.includes(functionId >>> 0);
  }

  /** One SMC/HVC from `callerMpidr`: x0 = function id, x1..x3 = arguments. */
  call(functionId: number, args: readonly bigint[], callerMpidr: bigint): PsciOutcome {
    const id = functionId >>> 0;
    const decoded = decodeFunctionId(id);
    if (!decoded.fast || decoded.owner !== SmcccOwner.STANDARD || !this.implemented(id)) return result(PsciReturn.NOT_SUPPORTED);
    if (this.system !== "running") return result(PsciReturn.DENIED);
    // SMC32 arguments are the low 32 bits of the registers
    const argument = (index: number): bigint => {
      const value = args[index] ?? 0n;
      return decoded.smc64 ? BigInt.asUintN(64, value) : BigInt.asUintN(32, value);
    };
    switch (decoded.number) {
      case PsciFunction.PSCI_VERSION:
        return result((this.options.version.major << 16) | this.options.version.minor);
      case PsciFunction.CPU_ON:
        return this.cpuOn(argument(0), argument(1), argument(2));
      case PsciFunction.AFFINITY_INFO:
        return this.affinityInfo(argument(0), argument(1));
      case PsciFunction.CPU_OFF:
        return this.cpuOff(callerMpidr);
      case PsciFunction.SYSTEM_OFF:
        this.endSystem("off");
        return { value: PsciReturn.SUCCESS, noReturn: true };
      case PsciFunction.SYSTEM_RESET:
        this.endSystem("reset");
        return { value: PsciReturn.SUCCESS, noReturn: true };
      case PsciFunction.PSCI_FEATURES:
        return result(this.implemented(Number(argument(0))) ? PsciReturn.SUCCESS : PsciReturn.NOT_SUPPORTED);
      default:
        return result(PsciReturn.NOT_SUPPORTED);
    }
  }

  private atLeast(major: number, minor: number): boolean {
    const { version } = this.options;
    return version.major > major || (version.major === major && version.minor >= minor);
  }

  private cpuOn(target: bigint, entry: bigint, contextId: bigint): PsciOutcome {
    const state = this.states.get(target);
    if (state === undefined) return result(PsciReturn.INVALID_PARAMETERS);
    if (state === AffinityState.ON) return result(PsciReturn.ALREADY_ON);
    if (state === AffinityState.ON_PENDING) return result(PsciReturn.ON_PENDING);
    // an A64 entry point is 4-byte aligned and must lie in RAM
    const inRam = this.options.ram.some((range) => entry >= range.base && entry < range.base + range.size);
    if ((entry & 3n) !== 0n || !inRam) return result(PsciReturn.INVALID_ADDRESS);
    this.states.set(target, AffinityState.ON_PENDING);
    this.pending.set(target, { entry, contextId });
    return result(PsciReturn.SUCCESS);
  }

  /** Only affinity level 0 (a single core) is modelled; higher levels are INVALID_PARAMETERS. */
  private affinityInfo(target: bigint, lowestLevel: bigint): PsciOutcome {
    const state = this.states.get(target);
    if (state === undefined || lowestLevel !== 0n) return result(PsciReturn.INVALID_PARAMETERS);
    return result(state);
  }

  private cpuOff(caller: bigint): PsciOutcome {
    if (this.states.get(caller) !== AffinityState.ON) return result(PsciReturn.DENIED);
    this.states.set(caller, AffinityState.OFF);
    return { value: PsciReturn.SUCCESS, noReturn: true };
  }

  private endSystem(state: "off" | "reset"): void {
    this.system = state;
    for (const cpu of this.states.keys()) this.states.set(cpu, AffinityState.OFF);
    this.pending.clear();
  }
}

function result(value: number): PsciOutcome {
  return { value, noReturn: false };
}
