import { archX86_64Plugin } from "@novakit/arch-x86_64";
import { createIommuAmdPlugin, type IommuAmdPluginObserver } from "@novakit/iommu-amd";
import {
  createKernel,
  KernelInvariantChecker,
  NovakitError,
  Status,
  type EcBody,
  type InvariantTimings,
  type InvariantViolation,
  type NovakitKernel,
  type NovakitPlugin,
  type PortalHandler,
  type UserlandApi,
} from "@novakit/kernel-core";
import { schedulerPlugin } from "@novakit/scheduler";
import { buildWorld, prepareRoot, tearDownWorld, type FuzzedActor } from "./fuzz-world.js";
import { decodeProgram } from "./program-decoder.js";
import type { ProgramStep } from "./program-step.js";
import { REPLIED, StatusHistogram } from "./status-histogram.js";
import { StepExecutor, type ExecutionEnvironment } from "./step-executor.js";
import { Slot, WINDOW_BASE, WINDOW_SLOTS } from "./world-layout.js";

/** how long the root waits for a fuzzed PD's step before it moves on (the PD stays busy) */
const STEP_WAIT_NS = 100_000;
/**
 * a handler that blocks waits this long before it replies: longer than the root waits for a
 * step, so the root moves on and later steps can kill the server (or its PD) mid-IPC
 */
const HANDLER_BLOCK_NS = 250_000;
/** simulated time bound of one boot: far beyond what programs need, so it never cuts one short */
const DURATION_MS = 600_000;
/** programs per boot by default: boot (the IOMMU's init) costs ~0.3 s, a program a few ms */
export const DEFAULT_PROGRAMS_PER_BOOT = 500;

export interface HypercallRunOptions {
  /** kernel seed (the simulator's PRNG; programs themselves are deterministic) */
  readonly seed?: number;
  /** stop at the first violation and throw it (the fuzz target's behaviour) */
  readonly stopAtFirstViolation?: boolean;
  /** extra plugins, e.g. a test-only plugin that plants a kernel bug */
  readonly plugins?: readonly NovakitPlugin<unknown>[];
  readonly programsPerBoot?: number;
  /** called with each booted kernel before its programs run (tests plant corruption here) */
  readonly onKernel?: (kernel: NovakitKernel) => void;
  /** hooks into the AMD IOMMU plugin's driver (tests reach the device table model through it) */
  readonly iommuObserver?: IommuAmdPluginObserver;
}

export interface HypercallRunReport {
  readonly programs: number;
  /** program steps executed (skipped ones not counted) */
  readonly steps: number;
  /** steps of a fuzzed PD that was still busy with an earlier one (blocked in IPC or on a semaphore) */
  readonly skippedSteps: number;
  readonly statusHistogram: StatusHistogram;
  readonly violations: readonly InvariantViolation[];
  /** worlds whose teardown left kernel objects behind (WorldLeak messages) */
  readonly leaks: readonly string[];
  /** invariant checks run (one after every step and after each world was built) */
  readonly checks: number;
  /** wall-clock ms spent in the checker, and per invariant */
  readonly checkMs: number;
  readonly checkTimings: InvariantTimings;
  readonly boots: number;
}

/**
 * An error thrown out of the kernel while it served a fuzzed hypercall. A hypercall with bad
 * arguments must end in a status, never in an exception, so every such error is a finding;
 * the one exception is the simulator's livelock diagnostic (NK-KRN-204): a fuzzed program can
 * build a helping cycle between its own ECs, which is a deadlock of the simulated program, not
 * of the kernel.
 */
export class KernelFault extends Error {
  constructor(
    message: string,
    readonly underlying: unknown,
  ) {
    super(message);
    this.name = "KernelFault";
  }
}

/** NovakitError codes the simulator raises for a fuzzed program's own deadlock (see KernelFault) */
export const LEGITIMATE_SIMULATION_CODES: ReadonlySet<string> = new Set(["NK-KRN-204"]);

/**
 * Objects of a program's world survived its teardown although every capability, every device
 * table reference and every cycle was removed: a leak in the kernel's destruction paths.
 */
export class WorldLeak extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldLeak";
  }
}

function state(kernel: NovakitKernel): NonNullable<NovakitKernel["internals"]["state"]> {
  const current = kernel.internals.state;
  if (current === undefined) throw new Error("the kernel has no state yet");
  return current;
}

/** the id the next kernel object will get (ids are handed out in creation order) */
function nextObjectId(kernel: NovakitKernel): number {
  let highest = 0;
  for (const object of state(kernel).objects.all()) highest = Math.max(highest, object.id);
  return highest + 1;
}

/** the objects of a world that outlived it: type, id, count, and who still names them */
function describeSurvivors(kernel: NovakitKernel, firstNewId: number): string {
  const all = [...state(kernel).objects.all()];
  const survivors = all.filter((object) => object.id >= firstNewId);
  return survivors
    .slice(0, 8)
    .map((object) => {
      const holders = all.filter((holder) => holder.heldReferences().includes(object)).map((holder) => `${holder.subtypeName} ${holder.id}`);
      for (const holder of all) {
        if (holder.subtypeName !== "OBJ") continue;
        // an object space: which of its selectors name the survivor
        const space = holder as unknown as { entries(): Iterable<[number, { readonly object: unknown }]> };
        for (const [selector, capability] of space.entries()) if (capability.object === object) holders.push(`OBJ ${holder.id}[0x${selector.toString(16)}]`);
      }
      return `${object.subtypeName} ${object.id} (count ${object.referenceCount}${holders.length > 0 ? `, held by ${holders.join(", ")}` : ""})`;
    })
    .join("; ");
}

/** Run one program on a freshly booted q35 + AMD IOMMU kernel. */
export async function runHypercallProgram(bytes: Uint8Array, options: HypercallRunOptions = {}): Promise<HypercallRunReport> {
  return runHypercallPrograms([bytes], options);
}

/**
 * Run programs, `programsPerBoot` to a kernel (each in a world of its own fresh PDs; earlier
 * programs' PDs stay, parked), checking every kernel invariant after every step.
 */
export async function runHypercallPrograms(programs: readonly Uint8Array[], options: HypercallRunOptions = {}): Promise<HypercallRunReport> {
  const histogram = new StatusHistogram();
  const violations: InvariantViolation[] = [];
  const leaks: string[] = [];
  const totals: Totals = { steps: 0, skipped: 0, checks: 0, checkMs: 0, boots: 0, timings: { refcount: 0, permission: 0, "space-ownership": 0, "device-reach": 0, quota: 0 } };
  const perBoot = Math.max(1, options.programsPerBoot ?? DEFAULT_PROGRAMS_PER_BOOT);
  for (let first = 0; first < programs.length; first += perBoot) {
    const batch = programs.slice(first, first + perBoot).map(decodeProgram);
    await runBatch(batch, options, histogram, violations, leaks, totals);
    totals.boots++;
    if (options.stopAtFirstViolation && violations.length > 0) break;
  }
  return { programs: programs.length, steps: totals.steps, skippedSteps: totals.skipped, statusHistogram: histogram, violations, leaks, checks: totals.checks, checkMs: totals.checkMs, checkTimings: totals.timings, boots: totals.boots };
}

interface Totals {
  steps: number;
  skipped: number;
  checks: number;
  checkMs: number;
  boots: number;
  readonly timings: InvariantTimings;
}

async function runBatch(
  batch: readonly ProgramStep[][],
  options: HypercallRunOptions,
  histogram: StatusHistogram,
  violations: InvariantViolation[],
  leaks: string[],
  totals: Totals,
): Promise<void> {
  // errors of the driver's own coroutines (a bug in the fuzzer, or a violation to stop at)
  const failures: unknown[] = [];
  const handler: PortalHandler = async (api, call) => portalBehaviour(api, call.pid + call.ip, call.mtd, histogram);
  const environmentFor = (kernel: NovakitKernel): ExecutionEnvironment => {
    const platform = kernel.services.platform;
    const iommu = platform.iommus.find((unit) => unit.kind === "amd-vi");
    return {
      histogram,
      cpus: platform.cpus.length,
      iommuBase: iommu?.baseAddress ?? 0n,
      devices: [...platform.pci.filter((fn) => fn.dmaCapable), ...platform.pci.filter((fn) => !fn.dmaCapable)].map((fn) => BigInt((fn.segment << 16) | (fn.bus << 8) | (fn.device << 3) | fn.function)),
      handler,
      globalBody: async () => undefined,
    };
  };
  const actorBody = (actor: FuzzedActor): EcBody => async (api) => {
    for (;;) {
      const go = await api.ctrlSm(Slot.GO, { down: true });
      if (go.status !== Status.SUCCESS) return;
      const step = actor.mailbox;
      actor.mailbox = undefined;
      if (step !== undefined) {
        try {
          await step(api);
        } catch (error) {
          failures.push(error);
          return;
        }
      }
      await api.ctrlSm(Slot.DONE, { down: false });
    }
  };

  const rootTask = (kernel: NovakitKernel): EcBody => async (api) => {
    let checker: KernelInvariantChecker | undefined;
    try {
      checker = new KernelInvariantChecker(kernel);
      const environment = environmentFor(kernel);
      const executor = new StepExecutor(environment);
      const check = (): void => {
        const started = performance.now();
        const found = (checker as KernelInvariantChecker).check();
        totals.checkMs += performance.now() - started;
        totals.checks++;
        violations.push(...found);
        if (options.stopAtFirstViolation && found.length > 0) throw found[0];
      };
      await prepareRoot(api);
      check();
      for (const [index, steps] of batch.entries()) {
        const objectsBefore = state(kernel).objects.size;
        const firstNewId = nextObjectId(kernel);
        const world = await buildWorld(api, index, environment.cpus, actorBody, handler);
        check();
        for (const step of steps) {
          if (step.actor === 0) {
            await executor.execute(api, world.root, step);
            totals.steps++;
          } else {
            const actor = world.actors[step.actor - 1];
            if (actor === undefined || !(await runOnActor(api, actor, (actorApi) => executor.execute(actorApi, actor.view, step)))) {
              totals.skipped++;
              continue;
            }
            totals.steps++;
          }
          check();
        }
        await tearDownWorld(api, index, environment.iommuBase, environment.devices);
        check();
        const left = state(kernel).objects.size - objectsBefore;
        if (left !== 0) {
          const leak = new WorldLeak(`program ${index}: ${left} kernel object(s) survived the teardown of its world: ${describeSurvivors(kernel, firstNewId)}`);
          leaks.push(leak.message);
          if (options.stopAtFirstViolation) throw leak;
        }
      }
    } catch (error) {
      failures.push(error);
    } finally {
      for (const [name, ms] of Object.entries(checker?.timings ?? {}) as [keyof InvariantTimings, number][]) totals.timings[name] += ms;
    }
  };

  let kernelRef: NovakitKernel | undefined;
  const kernel: NovakitKernel = createKernel({
    config: { name: "hypercall-fuzz", arch: "x86_64", platform: "qemu-q35-amd-iommu", domains: [], durationMs: DURATION_MS, seed: options.seed ?? 0 },
    plugins: [
      { plugin: archX86_64Plugin, source: "fuzz: arch" },
      { plugin: schedulerPlugin, source: "fuzz: scheduler" },
      { plugin: createIommuAmdPlugin(options.iommuObserver ?? {}), options: { faultLog: false }, source: "fuzz: iommu" },
      ...(options.plugins ?? []).map((plugin, index) => ({ plugin, source: `fuzz: plugins[${index}]` })),
    ],
    configDir: ".",
    rootTask: async (api) => {
      if (kernelRef === undefined) throw new Error("the kernel is not known to its root task");
      await rootTask(kernelRef)(api);
    },
  });
  kernelRef = kernel;
  options.onKernel?.(kernel);
  try {
    await kernel.boot();
  } catch (error) {
    if (error instanceof NovakitError && LEGITIMATE_SIMULATION_CODES.has(error.code)) return;
    throw new KernelFault(`the kernel threw while serving fuzzed hypercalls: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const [failure] = failures;
  if (failure !== undefined) throw failure;
}

/**
 * Hand `run` to the actor's EC and wait (with a deadline) for it to finish. false = the actor is
 * still busy with an earlier step, so this one is skipped.
 */
async function runOnActor(api: UserlandApi, actor: FuzzedActor, run: (actorApi: UserlandApi) => Promise<void>): Promise<boolean> {
  if (actor.busy) {
    const collected = await api.ctrlSm(actor.done, { down: true, deadlineNs: api.now() + 1 });
    if (collected.status !== Status.SUCCESS) return false;
    actor.busy = false;
  }
  actor.mailbox = run;
  await api.ctrlSm(actor.go, { down: false });
  const done = await api.ctrlSm(actor.done, { down: true, deadlineNs: api.now() + STEP_WAIT_NS });
  actor.busy = done.status !== Status.SUCCESS;
  return true;
}

/**
 * What a fuzzed portal does, chosen by its PID plus its IP (create_pt picks the IP, ctrl_pt
 * changes the PID), modulo 8: 0-4 reply at once; 5 a nested create_sm in its own PD, then
 * reply; 6 fault (the EC dies mid-call: the caller gets ABORTED); 7 block on a semaphore for
 * longer than the root waits, so later steps may kill the server mid-IPC.
 */
async function portalBehaviour(api: UserlandApi, selector: bigint, mtd: bigint, histogram: StatusHistogram): Promise<bigint> {
  const slot = WINDOW_BASE + Number((selector >> 3n) % BigInt(WINDOW_SLOTS));
  switch (Number(selector % 8n)) {
    case 5:
      histogram.record("create_sm", (await api.createSm(slot, Slot.SELF_PD, 1)).status);
      break;
    case 6:
      throw new PortalFault(`fuzzed portal handler (PID + IP ${selector}) faults`);
    case 7:
      histogram.record("ctrl_sm", (await api.ctrlSm(Slot.HANDLER_SM, { down: true, deadlineNs: api.now() + HANDLER_BLOCK_NS })).status);
      break;
    default:
      break;
  }
  histogram.record("ipc_reply", REPLIED);
  return mtd & 0x1ffn;
}

/** A deliberate fault of a fuzzed portal handler: the simulator kills the EC (a dying partner). */
class PortalFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PortalFault";
  }
}
