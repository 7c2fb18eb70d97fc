import { describe, expect, it } from "vitest";
import { executeInput } from "../runner/outcome.js";
import { runFuzzTarget } from "../runner/run-target.js";
import { FUZZ_TARGETS, findTarget, PARSER_TARGETS } from "./target-registry.js";

const ITERATIONS = 300;
const SEED = 0x5eed;

/** Targets whose parsers answer every input (the TPM answers with an error code, never a diagnostic). */
const ANSWERS_EVERYTHING = new Set(["tpm-command"]);

describe("parser fuzz targets", () => {
  it("have distinct names and are all registered", () => {
    const names = FUZZ_TARGETS.map((target) => target.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ["acpi-table", "acpidump", "ivrs", "fdt", "elf", "tcg-event-log", "tpm-response", "config", "platform-profile"]) {
      expect(findTarget(name)?.name).toBe(name);
    }
  });

  for (const target of PARSER_TARGETS) {
    it(`${target.name}: real seeds, ${ITERATIONS} mutants with no unhandled exception`, async () => {
      const seeds = target.seeds();
      expect(seeds.length).toBeGreaterThan(0);
      // the seeds are real inputs of the format: the parser accepts them (a few example
      // configurations use fields the schema is still growing, so "most", not "all")
      const acceptedSeeds = (await Promise.all(seeds.map((seed) => executeInput(target, seed)))).filter((outcome) => outcome.kind === "accepted").length;
      expect(acceptedSeeds).toBeGreaterThan(seeds.length / 2);
      const summary = await runFuzzTarget(target, { seed: SEED, iterations: ITERATIONS });
      const findings = summary.findings.map((finding) => `${finding.signature.key}: ${Buffer.from(finding.minimised).toString("base64")}`);
      expect(findings).toEqual([]);
      expect(summary.iterations).toBe(ITERATIONS);
      // mutants both pass and fail: the fuzzer reaches behind the first check, and the checks fire
      expect(summary.outcomes.get("accepted") ?? 0).toBeGreaterThan(seeds.length > 10 ? 10 : 0);
      if (!ANSWERS_EVERYTHING.has(target.name)) expect(summary.outcomes.size).toBeGreaterThanOrEqual(2);
    });
  }
});
