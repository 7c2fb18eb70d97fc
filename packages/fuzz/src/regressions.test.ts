import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { FuzzDiagnostic } from "./fuzz-diagnostics.js";
import { listRegressions, REGRESSIONS_DIRECTORY, saveRegression } from "./regressions/regression-store.js";
import { replayRegression } from "./regressions/replay-regression.js";

/**
 * Every minimised finding saved under packages/fuzz/regressions/<target>/ is replayed through its
 * target and must now pass (return, or throw a NovakitError): once a parser bug is fixed, it
 * stays fixed. A fixture whose target is not registered fails with NK-FUZ-008.
 */
describe("saved fuzz regressions", () => {
  const fixtures = listRegressions(REGRESSIONS_DIRECTORY);

  it("the regression directory scan reads back what saveRegression writes", () => {
    const directory = mkdtempSync(join(tmpdir(), "novakit-regressions-"));
    try {
      expect(listRegressions(join(directory, "missing"))).toEqual([]);
      saveRegression(directory, "fdt", Uint8Array.of(0xd0, 0x0d, 0xfe, 0xed), "TypeError: x is undefined");
      saveRegression(directory, "acpi-table", Uint8Array.of(1, 2, 3), "RangeError: offset out of bounds");
      const listed = listRegressions(directory);
      expect(listed.map((fixture) => [fixture.target, [...fixture.bytes], fixture.description])).toEqual([
        ["acpi-table", [1, 2, 3], "RangeError: offset out of bounds\n"],
        ["fdt", [0xd0, 0x0d, 0xfe, 0xed], "TypeError: x is undefined\n"],
      ]);
      expect(listed.every((fixture) => /^[0-9a-f]{16}$/.test(fixture.name))).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("a fixture of an unregistered target is refused with NK-FUZ-008", async () => {
    const orphan = { target: "no-such-target", name: "0000000000000000", binPath: "/x/0000000000000000.bin", bytes: Uint8Array.of(1), description: "" };
    const error: unknown = await replayRegression(orphan).catch((thrown: unknown) => thrown);
    expect(isNovakitError(error) && error.code).toBe(FuzzDiagnostic.UNKNOWN_REGRESSION_TARGET);
  });

  for (const fixture of fixtures) {
    it(`${fixture.target}/${fixture.name} (${fixture.description.split("\n").find((line) => line.startsWith("thrown:")) ?? "no description"}) now passes`, async () => {
      expect(fixture.description, `${fixture.target}/${fixture.name}.txt says what was thrown`).not.toBe("");
      const outcome = await replayRegression(fixture);
      expect(outcome.kind === "finding" ? `${outcome.signature.errorName}: ${outcome.signature.message}` : "pass").toBe("pass");
    });
  }
});
