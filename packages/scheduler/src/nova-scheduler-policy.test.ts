import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NovakitError } from "@novakit/kernel-core";
import { NovaSchedulerPolicy } from "./nova-scheduler-policy.js";
import { fakeSc, type FakeSc } from "./test-support/fake-sc.js";
import { runSingleCpu } from "./test-support/single-cpu-driver.js";

const MS = 1_000_000;

function pickAll(policy: NovaSchedulerPolicy, cpu = 0): number[] {
  const ids: number[] = [];
  for (let sc = policy.pickNext(cpu, 0); sc !== undefined; sc = policy.pickNext(cpu, 0)) ids.push(sc.id);
  return ids;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error.code;
    throw error;
  }
  return undefined;
}

describe("enqueue rule (nova.md §7)", () => {
  it("puts an SC without budget left at the tail and refills it to the full budget", () => {
    const policy = new NovaSchedulerPolicy(1);
    const a = fakeSc(1, 10, 5 * MS);
    const b = fakeSc(2, 10, 7 * MS);
    policy.enqueue(a, 0);
    policy.enqueue(b, 0);
    expect(a.leftNs).toBe(5 * MS);
    expect(b.leftNs).toBe(7 * MS);
    expect(policy.readyIds(0, 10)).toEqual([1, 2]);
  });

  it("puts a preempted SC (budget left) at the head and keeps its remaining budget", () => {
    const policy = new NovaSchedulerPolicy(1);
    policy.enqueue(fakeSc(1, 10, 5 * MS), 0);
    policy.enqueue(fakeSc(2, 10, 5 * MS), 0);
    const preempted = fakeSc(3, 10, 5 * MS, { leftNs: 1234 });
    policy.enqueue(preempted, 0);
    expect(preempted.leftNs).toBe(1234);
    expect(policy.readyIds(0, 10)).toEqual([3, 1, 2]);
    expect(policy.pickNext(0, 0)).toBe(preempted);
  });

  it("treats a budget charged below zero as expired: tail and refill", () => {
    const policy = new NovaSchedulerPolicy(1);
    policy.enqueue(fakeSc(1, 10, 5 * MS), 0);
    const overcharged = fakeSc(2, 10, 5 * MS, { leftNs: -3 });
    policy.enqueue(overcharged, 0);
    expect(overcharged.leftNs).toBe(5 * MS);
    expect(policy.readyIds(0, 10)).toEqual([1, 2]);
  });
});

describe("pickNext", () => {
  it("takes the head of the highest non-empty priority", () => {
    const policy = new NovaSchedulerPolicy(1);
    policy.enqueue(fakeSc(1, 5, MS), 0);
    policy.enqueue(fakeSc(2, 100, MS), 0);
    policy.enqueue(fakeSc(3, 0, MS), 0);
    policy.enqueue(fakeSc(4, 100, MS), 0);
    policy.enqueue(fakeSc(5, 127, MS), 0);
    expect(policy.highestReadyPriority(0)).toBe(127);
    expect(pickAll(policy)).toEqual([5, 2, 4, 1, 3]);
    expect(policy.highestReadyPriority(0)).toBe(-1);
    expect(policy.pickNext(0, 0)).toBeUndefined();
  });

  it("serves all 128 priorities, highest first, whatever the enqueue order", () => {
    const policy = new NovaSchedulerPolicy(1);
    const order = Array.from({ length: 128 }, (_, index) => (index * 37) % 128); // a permutation
    expect(new Set(order).size).toBe(128);
    for (const priority of order) policy.enqueue(fakeSc(1000 + priority, priority, MS), 0);
    expect(policy.readyCount(0)).toBe(128);
    expect(pickAll(policy)).toEqual(Array.from({ length: 128 }, (_, index) => 1000 + 127 - index));
  });

  it("keeps CPUs apart: an SC of CPU 1 is never picked on CPU 0", () => {
    const policy = new NovaSchedulerPolicy(2);
    policy.enqueue(fakeSc(1, 50, MS, { cpu: 1 }), 0);
    policy.enqueue(fakeSc(2, 10, MS, { cpu: 0 }), 0);
    expect(policy.highestReadyPriority(0)).toBe(10);
    expect(pickAll(policy, 0)).toEqual([2]);
    expect(pickAll(policy, 1)).toEqual([1]);
  });
});

describe("dequeue of a blocked SC", () => {
  it("removes it from the head, the middle or the tail of its queue", () => {
    for (const [victim, rest] of [
      [1, [2, 3]],
      [2, [1, 3]],
      [3, [1, 2]],
    ] as const) {
      const policy = new NovaSchedulerPolicy(1);
      const scs = [1, 2, 3].map((id) => fakeSc(id, 20, MS));
      for (const sc of scs) policy.enqueue(sc, 0);
      policy.dequeue(scs[victim - 1]!);
      expect(policy.readyIds(0, 20)).toEqual(rest);
      expect(policy.readyCount(0)).toBe(2);
    }
  });

  it("clears the priority when its last SC leaves, so a lower priority runs", () => {
    const policy = new NovaSchedulerPolicy(1);
    const high = fakeSc(1, 90, MS);
    policy.enqueue(high, 0);
    policy.enqueue(fakeSc(2, 3, MS), 0);
    policy.dequeue(high);
    expect(policy.highestReadyPriority(0)).toBe(3);
    expect(pickAll(policy)).toEqual([2]);
  });

  it("ignores an SC that is not queued (the running SC blocking), and the SC can be enqueued again", () => {
    const policy = new NovaSchedulerPolicy(1);
    const sc = fakeSc(1, 9, MS);
    policy.enqueue(sc, 0);
    expect(policy.pickNext(0, 0)).toBe(sc);
    policy.dequeue(sc);
    expect(policy.readyCount(0)).toBe(0);
    policy.enqueue(sc, 0);
    expect(policy.readyIds(0, 9)).toEqual([1]);
  });
});

describe("preempts (nova.md §7 Preemption; Ready::enqueue)", () => {
  const policy = new NovaSchedulerPolicy(2);
  const current = fakeSc(1, 50, MS, { leftNs: MS / 2 });

  it("a higher priority preempts, whatever its budget", () => {
    expect(policy.preempts(fakeSc(2, 51, MS), current)).toBe(true);
    expect(policy.preempts(fakeSc(3, 51, MS, { leftNs: 10 }), current)).toBe(true);
  });

  it("a lower priority never preempts", () => {
    expect(policy.preempts(fakeSc(2, 49, MS, { leftNs: 10 }), current)).toBe(false);
    expect(policy.preempts(fakeSc(2, 0, MS), current)).toBe(false);
  });

  it("the same priority preempts only with budget left, and never itself", () => {
    expect(policy.preempts(fakeSc(2, 50, MS, { leftNs: 10 }), current)).toBe(true);
    expect(policy.preempts(fakeSc(2, 50, MS, { leftNs: 0 }), current)).toBe(false);
    expect(policy.preempts(current, current)).toBe(false);
  });

  it("anything preempts an idle CPU (no current SC)", () => {
    expect(policy.preempts(fakeSc(2, 1, MS), undefined)).toBe(true);
  });

  it("answers the same before and after the enqueue that refills the budget", () => {
    const fresh = new NovaSchedulerPolicy(1);
    const running = fakeSc(1, 50, MS, { leftNs: MS });
    const expired = fakeSc(2, 50, MS, { leftNs: 0 });
    const preempted = fakeSc(3, 50, MS, { leftNs: 77 });
    const before = [fresh.preempts(expired, running), fresh.preempts(preempted, running)];
    fresh.enqueue(expired, 0);
    fresh.enqueue(preempted, 0);
    expect(expired.leftNs).toBe(MS); // refilled, yet it still does not preempt
    expect([fresh.preempts(expired, running), fresh.preempts(preempted, running)]).toEqual(before);
    expect(before).toEqual([false, true]);
  });
});

describe("round robin within a priority, budget as the slice", () => {
  it("runs busy SCs of one priority in turn, each for its full budget", () => {
    const policy = new NovaSchedulerPolicy(1);
    const scs = [fakeSc(1, 40, 1 * MS), fakeSc(2, 40, 2 * MS), fakeSc(3, 40, 3 * MS)];
    const { slices } = runSingleCpu(
      policy,
      scs.map((sc) => ({ sc, behaviour: { kind: "busy" } as const })),
      12 * MS,
    );
    expect(slices.map((slice) => [slice.sc, slice.ns / MS])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(scs.map((sc) => sc.usedNs / MS)).toEqual([2, 4, 6]);
  });

  it("gives two busy SCs of equal priority and budget 50% each, within one budget", () => {
    const policy = new NovaSchedulerPolicy(1);
    const budget = 3 * MS;
    const duration = 1000 * MS + budget / 2; // not a multiple of the slice on purpose
    const scs = [fakeSc(1, 10, budget), fakeSc(2, 10, budget)];
    runSingleCpu(policy, scs.map((sc) => ({ sc, behaviour: { kind: "busy" } as const })), duration);
    for (const sc of scs) expect(Math.abs(sc.usedNs - duration / 2)).toBeLessThanOrEqual(budget);
    expect(scs[0]!.usedNs + scs[1]!.usedNs).toBe(duration);
  });

  it("never lets a lower priority run while a higher one is busy", () => {
    const policy = new NovaSchedulerPolicy(1);
    const high = fakeSc(1, 11, MS);
    const low = fakeSc(2, 10, MS);
    runSingleCpu(policy, [
      { sc: high, behaviour: { kind: "busy" } },
      { sc: low, behaviour: { kind: "busy" } },
    ], 50 * MS);
    expect(high.usedNs).toBe(50 * MS);
    expect(low.usedNs).toBe(0);
  });

  it("lets a higher-priority periodic SC preempt a busy one at every release", () => {
    const policy = new NovaSchedulerPolicy(1);
    const periodic = fakeSc(1, 60, 2 * MS);
    const busy = fakeSc(2, 30, 10 * MS);
    const { responseNs } = runSingleCpu(policy, [
      { sc: busy, behaviour: { kind: "busy" } },
      { sc: periodic, behaviour: { kind: "periodic", periodNs: 10 * MS, workNs: MS } },
    ], 100 * MS);
    // every job starts at its release and finishes after exactly its work
    expect(responseNs.get(1)).toEqual(Array.from({ length: 10 }, () => MS));
    expect(periodic.usedNs).toBe(10 * MS);
    expect(busy.usedNs).toBe(90 * MS);
  });
});

describe("diagnostics", () => {
  it("rejects a priority outside 0..127 (NK-SCH-001)", () => {
    const policy = new NovaSchedulerPolicy(1);
    expect(codeOf(() => policy.enqueue(fakeSc(1, 128, MS), 0))).toBe("NK-SCH-001");
    expect(codeOf(() => policy.enqueue(fakeSc(1, -1, MS), 0))).toBe("NK-SCH-001");
    expect(codeOf(() => policy.enqueue(fakeSc(1, 1.5, MS), 0))).toBe("NK-SCH-001");
  });

  it("rejects a CPU the policy does not have (NK-SCH-002)", () => {
    const policy = new NovaSchedulerPolicy(2);
    expect(codeOf(() => policy.enqueue(fakeSc(1, 1, MS, { cpu: 2 }), 0))).toBe("NK-SCH-002");
    expect(codeOf(() => policy.pickNext(5, 0))).toBe("NK-SCH-002");
    expect(codeOf(() => policy.dequeue(fakeSc(1, 1, MS, { cpu: -1 })))).toBe("NK-SCH-002");
  });

  it("rejects enqueueing an SC that is already queued (NK-SCH-003)", () => {
    const policy = new NovaSchedulerPolicy(1);
    const sc = fakeSc(1, 1, MS);
    policy.enqueue(sc, 0);
    const error = (() => {
      try {
        policy.enqueue(sc, 0);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-SCH-003");
    expect((error as NovakitError).location.field).toBe("sc[1]");
  });

  it("rejects a zero or non-finite budget (NK-SCH-004)", () => {
    const policy = new NovaSchedulerPolicy(1);
    expect(codeOf(() => policy.enqueue(fakeSc(1, 1, 0), 0))).toBe("NK-SCH-004");
    expect(codeOf(() => policy.enqueue(fakeSc(1, 1, MS, { leftNs: Number.NaN }), 0))).toBe("NK-SCH-004");
  });

  it("rejects a CPU count below one (NK-SCH-005)", () => {
    expect(codeOf(() => new NovaSchedulerPolicy(0))).toBe("NK-SCH-005");
    expect(codeOf(() => new NovaSchedulerPolicy(2.5))).toBe("NK-SCH-005");
  });

  it("refuses to compare SCs of different CPUs (NK-SCH-006)", () => {
    const policy = new NovaSchedulerPolicy(2);
    expect(codeOf(() => policy.preempts(fakeSc(1, 9, MS, { cpu: 1 }), fakeSc(2, 1, MS)))).toBe("NK-SCH-006");
  });
});

describe("against a naive reference model", () => {
  /** the same rules with plain arrays: the obvious, O(n) way */
  class ReferenceModel {
    readonly queues = Array.from({ length: 128 }, () => [] as FakeSc[]);
    enqueue(sc: FakeSc): void {
      if (sc.leftNs > 0) this.queues[sc.priority]!.unshift(sc);
      else {
        this.queues[sc.priority]!.push(sc);
        sc.leftNs = sc.budgetNs;
      }
    }
    dequeue(sc: FakeSc): void {
      const queue = this.queues[sc.priority]!;
      const at = queue.indexOf(sc);
      if (at >= 0) queue.splice(at, 1);
    }
    pick(): FakeSc | undefined {
      for (let priority = 127; priority >= 0; priority--) {
        const queue = this.queues[priority]!;
        if (queue.length > 0) return queue.shift();
      }
      return undefined;
    }
  }

  it("picks the same SCs for any sequence of enqueue, dequeue, pick and charge", () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant("enqueue" as const), sc: fc.nat(15), left: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ op: fc.constant("dequeue" as const), sc: fc.nat(15) }),
      fc.record({ op: fc.constant("pick" as const) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const policy = new NovaSchedulerPolicy(1);
        const model = new ReferenceModel();
        // each SC exists twice (one per side) so the two sides never share mutable budget
        const make = (id: number): FakeSc => fakeSc(id, [0, 1, 31, 32, 33, 64, 127][id % 7]!, 4);
        const real = Array.from({ length: 16 }, (_, id) => make(id));
        const shadow = Array.from({ length: 16 }, (_, id) => make(id));
        const queued = new Set<number>();
        for (const operation of operations) {
          if (operation.op === "enqueue") {
            if (queued.has(operation.sc)) continue;
            real[operation.sc]!.leftNs = operation.left;
            shadow[operation.sc]!.leftNs = operation.left;
            policy.enqueue(real[operation.sc]!, 0);
            model.enqueue(shadow[operation.sc]!);
            queued.add(operation.sc);
          } else if (operation.op === "dequeue") {
            policy.dequeue(real[operation.sc]!);
            model.dequeue(shadow[operation.sc]!);
            queued.delete(operation.sc);
          } else {
            const picked = policy.pickNext(0, 0);
            const expected = model.pick();
            expect(picked?.id).toBe(expected?.id);
            expect(picked?.leftNs).toBe(expected?.leftNs);
            if (picked !== undefined) queued.delete(picked.id);
          }
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
