import type { FuzzTarget } from "../../fuzz-target.js";
import { runHypercallProgram } from "./program-runner.js";
import { hypercallSeeds } from "./seed-programs.js";

/**
 * The stateful hypercall fuzzer as a fuzz target: the input is a program (program-decoder.ts)
 * that the root and three fuzzed PDs on different CPUs run on a freshly booted q35 + AMD IOMMU
 * kernel, with every kernel invariant checked after every step. An InvariantViolation or a
 * KernelFault (the kernel threw for a userland request) is thrown: a finding.
 */
export const hypercallsTarget: FuzzTarget = {
  name: "hypercalls",
  description: "stateful hypercall programs of the root and 3 PDs on q35 + AMD IOMMU, kernel invariants checked after every step",
  seeds: () => hypercallSeeds(),
  async execute(input: Uint8Array): Promise<void> {
    await runHypercallProgram(input, { stopAtFirstViolation: true, programsPerBoot: 1 });
  },
};
