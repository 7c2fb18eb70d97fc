export type { FuzzTarget } from "./fuzz-target.js";

// ---- the runner: mutation-based, outcome-guided, deterministic for a seed ----
export { runFuzzTarget, streamSeed, type FuzzRunOptions, type FuzzRunSummary, type FuzzFinding, type FuzzProgress } from "./runner/run-target.js";
export { executeInput, classifyThrown, histogramKey, guidanceKey, ACCEPTED, type Outcome } from "./runner/outcome.js";
export { signatureOf, type FindingSignature } from "./runner/finding-signature.js";
export { FuzzDiagnostic, fuzzError, type FuzzDiagnosticCode } from "./fuzz-diagnostics.js";

// ---- mutation: byte mutations, and the optional format knowledge a target can offer ----
export { Mutator } from "./mutate/mutator.js";
export { BYTE_MUTATIONS, type ByteMutation, type MutationContext } from "./mutate/byte-mutations.js";
export type { InputStructure, StructuredFuzzTarget } from "./mutate/input-structure.js";
export { repairAcpiTable, fixChecksum } from "./structure/acpi-table-repair.js";
export { mutateJsonDocument } from "./structure/json-tree-mutation.js";

// ---- minimisation and regression fixtures ----
export { ddmin, type DdminOptions, type DdminResult, type FailurePredicate } from "./minimise/ddmin.js";
export { minimiseFinding } from "./minimise/minimise-finding.js";
export { REGRESSIONS_DIRECTORY, saveRegression, listRegressions, fixtureName, type RegressionFixture } from "./regressions/regression-store.js";
export { replayRegression } from "./regressions/replay-regression.js";

// ---- targets and the CLI ----
export { FUZZ_TARGETS, PARSER_TARGETS, findTarget } from "./targets/target-registry.js";
export { runFuzzCli, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, type FuzzCliIo } from "./cli/run-fuzz-cli.js";
export { vitestJsonReport, type VitestJsonReport } from "./report/vitest-json-report.js";

// ---- the stateful hypercall fuzzer (targets/hypercalls): direct driver and long runs ----
export { hypercallsTarget } from "./targets/hypercalls/hypercalls-target.js";
export {
  runHypercallProgram,
  runHypercallPrograms,
  KernelFault,
  WorldLeak,
  LEGITIMATE_SIMULATION_CODES,
  DEFAULT_PROGRAMS_PER_BOOT,
  type HypercallRunOptions,
  type HypercallRunReport,
} from "./targets/hypercalls/program-runner.js";
export { runHypercallCampaign, randomPrograms, type CampaignOptions, type CampaignReport } from "./targets/hypercalls/hypercall-campaign.js";
export { StatusHistogram, REPLIED } from "./targets/hypercalls/status-histogram.js";
export { decodeProgram, encodeProgram, FUZZED_ACTORS, MAX_PROGRAM_STEPS } from "./targets/hypercalls/program-decoder.js";
export { StepKind, type ProgramStep } from "./targets/hypercalls/program-step.js";
