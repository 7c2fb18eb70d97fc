import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOVA_PRIORITY_COUNT, PriorityBitmap } from "./priority-bitmap.js";

describe("PriorityBitmap", () => {
  it("is empty at first", () => {
    const bitmap = new PriorityBitmap();
    expect(bitmap.highest()).toBe(-1);
    expect(bitmap.isEmpty()).toBe(true);
  });

  it("finds every one of the 128 priorities, across the word boundaries", () => {
    for (let priority = 0; priority < NOVA_PRIORITY_COUNT; priority++) {
      const bitmap = new PriorityBitmap();
      bitmap.set(priority);
      expect(bitmap.highest()).toBe(priority);
      expect(bitmap.has(priority)).toBe(true);
      bitmap.clear(priority);
      expect(bitmap.highest()).toBe(-1);
    }
  });

  it("reports the highest set bit when lower words are also set (31/32, 63/64, 127)", () => {
    const bitmap = new PriorityBitmap();
    for (const priority of [0, 31, 32, 63, 64, 95, 96, 127]) bitmap.set(priority);
    const seen: number[] = [];
    while (!bitmap.isEmpty()) {
      const top = bitmap.highest();
      seen.push(top);
      bitmap.clear(top);
    }
    expect(seen).toEqual([127, 96, 95, 64, 63, 32, 31, 0]);
  });

  it("agrees with a set of numbers for any sequence of set/clear", () => {
    const operation = fc.record({ set: fc.boolean(), priority: fc.integer({ min: 0, max: 127 }) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const bitmap = new PriorityBitmap();
        const model = new Set<number>();
        for (const { set, priority } of operations) {
          if (set) {
            bitmap.set(priority);
            model.add(priority);
          } else {
            bitmap.clear(priority);
            model.delete(priority);
          }
          expect(bitmap.highest()).toBe(model.size === 0 ? -1 : Math.max(...model));
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
