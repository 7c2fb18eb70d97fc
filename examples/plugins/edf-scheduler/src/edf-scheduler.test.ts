import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createKernelHooks,
  NovakitError,
  type KernelServices,
  type PluginContext,
  type SchedulableContext,
} from "@novakit/kernel-core";
import {
  deadlineOnEnqueue,
  edfSchedulerOptionsSchema,
  edfSchedulerPlugin,
  EdfSchedulerPolicy,
  type EdfSchedulerOptions,
} from "./index.js";
import { runsBefore, type EdfEntry } from "./edf-entry.js";
import { IndexedMinHeap } from "./indexed-min-heap.js";
import { drivenSc, runBusy } from "./test-support/busy-cpu-driver.js";

const MS = 1_000_000;

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error.code;
    throw error;
  }
  return undefined;
}

describe("deadline rule (virtual time V, period = budget)", () => {
  const sc = (leftNs: number, priority = 10): SchedulableContext => ({
    id: 1,
    cpu: 0,
    priority,
    budgetNs: 4 * MS,
    leftNs,
    usedNs: 0,
  });

  it("a new SC gets V + budget", () => {
    expect(deadlineOnEnqueue(sc(0), undefined, 100)).toEqual({ deadlineNs: 100 + 4 * MS, refill: true });
    expect(deadlineOnEnqueue(sc(7), undefined, 100)).toEqual({ deadlineNs: 100 + 4 * MS, refill: false });
  });

  it("an expired SC is refilled and its deadline postponed by one budget", () => {
    expect(deadlineOnEnqueue(sc(0), 9 * MS, 5 * MS)).toEqual({ deadlineNs: 13 * MS, refill: true });
    expect(deadlineOnEnqueue(sc(-5), 9 * MS, 5 * MS)).toEqual({ deadlineNs: 13 * MS, refill: true });
  });

  it("a preempted SC keeps its deadline and its budget", () => {
    expect(deadlineOnEnqueue(sc(123), 7 * MS, 5 * MS)).toEqual({ deadlineNs: 7 * MS, refill: false });
  });

  it("an SC whose deadline fell behind V (it slept) restarts from V: no saved-up credit", () => {
    expect(deadlineOnEnqueue(sc(0), 1 * MS, 50 * MS)).toEqual({ deadlineNs: 54 * MS, refill: true });
    expect(deadlineOnEnqueue(sc(123), 1 * MS, 50 * MS)).toEqual({ deadlineNs: 50 * MS, refill: false });
  });

  it("the idle priority never has a deadline", () => {
    expect(deadlineOnEnqueue(sc(0, 0), undefined, 0).deadlineNs).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("EdfSchedulerPolicy", () => {
  it("picks the earliest deadline, not the enqueue order", () => {
    const policy = new EdfSchedulerPolicy(1);
    const long = drivenSc(1, 10, 9 * MS);
    const short = drivenSc(2, 10, 2 * MS);
    const middle = drivenSc(3, 10, 5 * MS);
    for (const sc of [long, short, middle]) policy.enqueue(sc, 0);
    expect([0, 0, 0].map(() => policy.pickNext(0, 0)?.id)).toEqual([2, 3, 1]);
    expect(short.leftNs).toBe(2 * MS);
  });

  it("breaks deadline ties by lower SC id, whatever the enqueue order", () => {
    const policy = new EdfSchedulerPolicy(1);
    for (const id of [7, 3, 5]) policy.enqueue(drivenSc(id, 10, MS), 0);
    expect([0, 0, 0].map(() => policy.pickNext(0, 0)?.id)).toEqual([3, 5, 7]);
  });

  it("keeps priorities as strict classes and the idle SC last", () => {
    const policy = new EdfSchedulerPolicy(1);
    policy.enqueue(drivenSc(1, 0, MS), 0);
    policy.enqueue(drivenSc(2, 5, 100 * MS), 0);
    policy.enqueue(drivenSc(3, 4, MS), 0);
    policy.enqueue(drivenSc(4, 127, 1000 * MS), 0);
    expect([0, 0, 0, 0, 0].map(() => policy.pickNext(0, 0)?.id)).toEqual([4, 2, 3, 1, undefined]);
  });

  it("shares the CPU equally between busy SCs of one priority, whatever their budgets", () => {
    const policy = new EdfSchedulerPolicy(1);
    const scs = [drivenSc(1, 10, 1 * MS), drivenSc(2, 10, 3 * MS)];
    const duration = 600 * MS;
    runBusy(policy, scs, duration);
    // each advances its deadline by its budget per budget consumed, so usage tracks deadlines
    for (const sc of scs) expect(Math.abs(sc.usedNs - duration / 2)).toBeLessThanOrEqual(3 * MS);
    expect(scs[0]!.usedNs + scs[1]!.usedNs).toBe(duration);
  });

  it("runs a shorter-budget SC more often, in slices of its budget", () => {
    const policy = new EdfSchedulerPolicy(1);
    const order = runBusy(policy, [drivenSc(1, 10, 1 * MS), drivenSc(2, 10, 3 * MS)], 12 * MS);
    expect(order).toEqual([1, 1, 1, 2, 1, 1, 1, 2]);
  });

  it("preempts for a higher class, an idle CPU, or an SC the running one does not outrank", () => {
    const policy = new EdfSchedulerPolicy(1);
    const current = drivenSc(1, 10, 10 * MS);
    policy.enqueue(current, 0);
    expect(policy.pickNext(0, 0)).toBe(current); // deadline 10 ms, V = 10 ms
    expect(policy.virtualTime(0, 10)).toBe(10 * MS);
    // any SC that becomes ready in the class gets a deadline at or after V: it waits its turn
    expect(policy.preempts(drivenSc(2, 10, 1), current)).toBe(false);
    expect(policy.preempts(drivenSc(4, 11, 99 * MS), current)).toBe(true);
    expect(policy.preempts(drivenSc(5, 9, 1), current)).toBe(false);
    expect(policy.preempts(current, current)).toBe(false);
    expect(policy.preempts(current, undefined)).toBe(true);
    // a running SC the policy never picked (no deadline) is outranked by any deadline
    expect(policy.preempts(drivenSc(6, 10, MS), drivenSc(7, 10, MS))).toBe(true);
  });

  it("gives a new SC on an overloaded CPU its turn within one round, not after the others catch up", () => {
    const policy = new EdfSchedulerPolicy(1);
    const busy = [drivenSc(1, 10, 2 * MS), drivenSc(2, 10, 2 * MS)];
    runBusy(policy, busy, 100 * MS);
    const late = drivenSc(3, 10, 2 * MS);
    policy.enqueue(late, 100 * MS);
    const next = [0, 1, 2].map(() => {
      const sc = policy.pickNext(0, 100 * MS)!;
      sc.leftNs = 0;
      policy.enqueue(sc, 100 * MS);
      return sc.id;
    });
    expect(next).toContain(3);
  });

  it("does not let an SC that slept catch up with a burst", () => {
    const policy = new EdfSchedulerPolicy(1);
    const sleeper = drivenSc(1, 10, MS);
    const busy = drivenSc(2, 10, MS);
    policy.enqueue(sleeper, 0);
    policy.enqueue(busy, 0);
    expect(policy.pickNext(0, 0)).toBe(sleeper); // runs once, then blocks without a dequeue
    sleeper.leftNs = 0;
    for (let round = 0; round < 50; round++) {
      const sc = policy.pickNext(0, 0)!;
      expect(sc).toBe(busy);
      sc.leftNs = 0;
      policy.enqueue(sc, 0);
    }
    policy.enqueue(sleeper, 0); // wakes: its old deadline (1 ms) is far behind V
    expect(policy.deadlineOf(sleeper)).toBe(policy.virtualTime(0, 10) + MS);
    const order = [0, 1, 2, 3].map(() => {
      const sc = policy.pickNext(0, 0)!;
      sc.leftNs = 0;
      policy.enqueue(sc, 0);
      return sc.id;
    });
    expect(order.filter((id) => id === 1)).toHaveLength(2); // alternates, no burst
  });

  it("forgets a dequeued (blocked) SC and never picks it", () => {
    const policy = new EdfSchedulerPolicy(1);
    const blocked = drivenSc(1, 10, MS);
    policy.enqueue(blocked, 0);
    policy.enqueue(drivenSc(2, 10, 5 * MS), 0);
    policy.dequeue(blocked);
    expect(policy.deadlineOf(blocked)).toBeUndefined();
    expect(policy.pickNext(0, 0)?.id).toBe(2);
    expect(policy.pickNext(0, 0)).toBeUndefined();
  });

  it("keeps CPUs apart", () => {
    const policy = new EdfSchedulerPolicy(2);
    policy.enqueue(drivenSc(1, 10, MS, 1), 0);
    expect(policy.pickNext(0, 0)).toBeUndefined();
    expect(policy.pickNext(1, 0)?.id).toBe(1);
  });

  it("reports bad input with NK-EXP codes", () => {
    const policy = new EdfSchedulerPolicy(2);
    expect(codeOf(() => policy.enqueue(drivenSc(1, 128, MS), 0))).toBe("NK-EXP-010");
    expect(codeOf(() => policy.enqueue(drivenSc(1, 5, 0), 0))).toBe("NK-EXP-010");
    const sc = drivenSc(2, 5, MS);
    policy.enqueue(sc, 0);
    expect(codeOf(() => policy.enqueue(sc, 0))).toBe("NK-EXP-011");
    expect(codeOf(() => new EdfSchedulerPolicy(0))).toBe("NK-EXP-012");
    expect(codeOf(() => policy.preempts(drivenSc(3, 5, MS, 1), sc))).toBe("NK-EXP-013");
    expect(codeOf(() => policy.pickNext(2, 0))).toBe("NK-EXP-014");
  });
});

describe("IndexedMinHeap with the EDF order", () => {
  it("pops in the same order as sorting, with removals from the middle", () => {
    const operation = fc.oneof(
      fc.record({ push: fc.constant(true), deadline: fc.integer({ min: 0, max: 5 }), priority: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ push: fc.constant(false), victim: fc.nat(40) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 120 }), (operations) => {
        const heap = new IndexedMinHeap<EdfEntry>(runsBefore);
        const model: EdfEntry[] = [];
        let id = 0;
        for (const operation of operations) {
          if (operation.push) {
            const sc: SchedulableContext = { id: id++, cpu: 0, priority: operation.priority, budgetNs: 1, leftNs: 1, usedNs: 0 };
            const entry: EdfEntry = { sc, deadlineNs: operation.deadline, sequence: id, heapIndex: -1 };
            heap.push(entry);
            model.push(entry);
          } else if (model.length > 0) {
            const [victim] = model.splice(operation.victim % model.length, 1);
            heap.remove(victim!);
          }
        }
        model.sort((a, b) => (runsBefore(a, b) ? -1 : 1));
        const popped: number[] = [];
        for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) popped.push(entry.sc.id);
        expect(popped).toEqual(model.map((entry) => entry.sc.id));
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe("edfSchedulerPlugin", () => {
  function register(rawOptions: unknown) {
    const hooks = createKernelHooks();
    const context: PluginContext<EdfSchedulerOptions> = {
      pluginName: edfSchedulerPlugin.name,
      options: edfSchedulerOptionsSchema.parse(rawOptions),
      hooks,
      kernel: { hooks } as Partial<KernelServices> as KernelServices,
      registerWorkload: () => undefined,
    };
    edfSchedulerPlugin.register(context);
    return hooks;
  }

  it("is a scheduler that declares it replaces @novakit/scheduler", () => {
    expect(edfSchedulerPlugin.kind).toBe("scheduler");
    expect(edfSchedulerPlugin.conflicts).toContain("@novakit/scheduler");
  });

  it("answers the kernel's scheduler hook with an EDF policy for the requested CPUs", () => {
    const hooks = register({});
    const policy = hooks.scheduler.call({ cpus: 2 });
    expect(policy).toBeInstanceOf(EdfSchedulerPolicy);
    expect(policy?.name).toBe("earliest-deadline-first");
    expect((policy as EdfSchedulerPolicy).cpuCount).toBe(2);
    expect(hooks.scheduler.call({ cpus: 2 })).not.toBe(policy);
    expect(hooks.scheduler.taps.map((tap) => tap.name)).toEqual(["novakit-plugin-edf-scheduler"]);
  });

  it("validates its options", () => {
    expect(edfSchedulerOptionsSchema.parse(undefined)).toEqual({});
    expect(edfSchedulerOptionsSchema.safeParse({ quantum: 1 }).success).toBe(false);
  });
});
