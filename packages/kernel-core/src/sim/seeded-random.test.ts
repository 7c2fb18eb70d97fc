import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.js";
import { SeededRandom } from "./seeded-random.js";

describe("SeededRandom (xoshiro128** seeded by SplitMix32)", () => {
  it("is a pure function of the seed", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(seqA);
    for (const value of seqA) expect(value >>> 0).toBe(value);
  });

  it("below() stays in range and covers it", () => {
    const random = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.below(10));
    expect([...seen].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => random.below(0)).toThrow(RangeError);
  });
});

describe("EventQueue", () => {
  it("pops by time, ties in insertion order, and skips cancelled events", () => {
    const queue = new EventQueue<string>();
    queue.schedule(20, "late");
    queue.schedule(10, "first-at-10");
    const cancelled = queue.schedule(5, "cancelled");
    queue.schedule(10, "second-at-10");
    queue.cancel(cancelled);
    const order: string[] = [];
    for (let event = queue.pop(); event; event = queue.pop()) order.push(event.payload);
    expect(order).toEqual(["first-at-10", "second-at-10", "late"]);
  });
});
