import { describe, expect, it } from "vitest";
import { aThenBTarget, hasAThenB } from "../test-support/synthetic-targets.js";
import { ddmin } from "./ddmin.js";
import { minimiseFinding } from "./minimise-finding.js";
import { executeInput } from "../runner/outcome.js";

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const asText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("ddmin", () => {
  it("reduces a failing input to the two bytes the failure needs", async () => {
    const failing = text("....A.........................x....B.........");
    const result = await ddmin(failing, (candidate) => hasAThenB(candidate));
    expect(asText(result.minimised)).toBe("AB");
    expect(result.complete).toBe(true);
  });

  it("returns the empty input when even that fails", async () => {
    const result = await ddmin(text("anything"), () => true);
    expect(result.minimised.length).toBe(0);
    expect(result.tests).toBe(1);
  });

  it("stops at the test budget with the smallest failing input found so far", async () => {
    const failing = text(`A${"-".repeat(500)}B`);
    const result = await ddmin(failing, (candidate) => hasAThenB(candidate), { maxTests: 10 });
    expect(result.tests).toBe(10);
    expect(result.complete).toBe(false);
    expect(hasAThenB(result.minimised)).toBe(true);
    expect(result.minimised.length).toBeLessThan(failing.length);
  });

  it("stops when its time budget says so", async () => {
    let calls = 0;
    const result = await ddmin(text(`A${"-".repeat(500)}B`), (candidate) => hasAThenB(candidate), { outOfTime: () => ++calls > 3 });
    expect(result.complete).toBe(false);
    expect(result.tests).toBeLessThanOrEqual(3);
  });

  it("minimises a finding of a target, keeping the same error class and first frame", async () => {
    const input = text("zzzzAzzzzzzzzzzzzBzzzz");
    const outcome = await executeInput(aThenBTarget, input);
    if (outcome.kind !== "finding") throw new Error(`expected a finding, got ${outcome.kind}`);
    expect(outcome.signature.errorName).toBe("TypeError");
    const result = await minimiseFinding(aThenBTarget, input, outcome.signature.key);
    expect(asText(result.minimised)).toBe("AB");
    const again = await executeInput(aThenBTarget, result.minimised);
    expect(again.kind === "finding" && again.signature.key).toBe(outcome.signature.key);
  });
});
