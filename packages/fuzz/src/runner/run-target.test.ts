import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNovakitError } from "@novakit/kernel-core";
import { afterEach, describe, expect, it } from "vitest";
import { listRegressions } from "../regressions/regression-store.js";
import { acpiTableTarget } from "../targets/acpi-table/acpi-table-target.js";
import { alwaysRejectsTarget, aThenBTarget, seedlessTarget } from "../test-support/synthetic-targets.js";
import { runFuzzTarget, streamSeed } from "./run-target.js";

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "novakit-fuzz-"));
  temporary.push(directory);
  return directory;
}

describe("runFuzzTarget", () => {
  it("is deterministic: same seed and iterations, same histogram, corpus and findings", async () => {
    const first = await runFuzzTarget(acpiTableTarget, { seed: 7, iterations: 400 });
    const second = await runFuzzTarget(acpiTableTarget, { seed: 7, iterations: 400 });
    expect([...second.outcomes].sort()).toEqual([...first.outcomes].sort());
    expect(second.discovered.map((input) => Buffer.from(input).toString("hex"))).toEqual(first.discovered.map((input) => Buffer.from(input).toString("hex")));
    expect(second.findings.length).toBe(first.findings.length);
    const other = await runFuzzTarget(acpiTableTarget, { seed: 8, iterations: 400 });
    expect([...other.outcomes].sort()).not.toEqual([...first.outcomes].sort());
  });

  it("finds a planted bug, minimises it to the bytes it needs and saves it as a regression", async () => {
    const directory = temporaryDirectory();
    const summary = await runFuzzTarget(aThenBTarget, { seed: 1, iterations: 200, regressionDirectory: directory });
    expect(summary.findings).toHaveLength(1);
    const finding = summary.findings[0]!;
    expect(finding.signature.errorName).toBe("TypeError");
    expect(finding.iteration).toBe(-1); // the first seed already holds A … B
    expect(new TextDecoder().decode(finding.minimised)).toBe("AB");
    expect(summary.outcomes.get("finding TypeError")).toBe(finding.count);
    const saved = listRegressions(directory);
    expect(saved.map((fixture) => [fixture.target, new TextDecoder().decode(fixture.bytes)])).toEqual([["synthetic-a-then-b", "AB"]]);
    expect(saved[0]!.description).toContain("TypeError");
    expect(readFileSync(finding.regressionPath!, "utf8")).toBe("AB");
  });

  it("counts diagnostics as passes and keeps inputs that reach a new (code, field) outcome", async () => {
    const summary = await runFuzzTarget(alwaysRejectsTarget, { seed: 3, iterations: 300 });
    expect(summary.findings).toEqual([]);
    expect(summary.iterations).toBe(300);
    const total = [...summary.outcomes.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(300 + summary.seedCount);
    expect([...summary.outcomes.keys()].every((key) => /^NK-TST-00[0-3]$/.test(key))).toBe(true);
    // lengths differ in the field ("byte[#]" after blanking digits), codes differ by first byte
    expect(summary.corpusSize).toBeGreaterThan(1);
    expect(summary.corpusSize).toBeLessThanOrEqual(1 + 4);
  });

  it("runs for a time budget when --seconds is given (clock injected)", async () => {
    let now = 0;
    const summary = await runFuzzTarget(alwaysRejectsTarget, { seed: 3, seconds: 1, clock: () => (now += 10) });
    // every clock read advances 10 ms: a few reads per iteration within 1000 ms
    expect(summary.iterations).toBeGreaterThan(10);
    expect(summary.iterations).toBeLessThan(100);
  });

  it("refuses a target without seeds with NK-FUZ-005", async () => {
    const error: unknown = await runFuzzTarget(seedlessTarget, { seed: 1, iterations: 1 }).catch((thrown: unknown) => thrown);
    expect(isNovakitError(error) && error.code).toBe("NK-FUZ-005");
  });

  it("gives every target its own PRNG stream", () => {
    expect(streamSeed(1, "acpi-table")).not.toBe(streamSeed(1, "ivrs"));
    expect(streamSeed(1, "ivrs")).toBe(streamSeed(1, "ivrs"));
  });
});
