import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";
import type { FuzzTarget } from "../fuzz-target.js";
import { executeInput, type Outcome } from "../runner/outcome.js";
import { FUZZ_TARGETS, findTarget } from "../targets/target-registry.js";
import type { RegressionFixture } from "./regression-store.js";

/** Runs a saved fixture through the target it was found on (NK-FUZ-008 when that target is gone). */
export async function replayRegression(fixture: RegressionFixture, targets: readonly FuzzTarget[] = FUZZ_TARGETS): Promise<Outcome> {
  const target = findTarget(fixture.target, targets);
  if (target === undefined) {
    throw fuzzError(
      FuzzDiagnostic.UNKNOWN_REGRESSION_TARGET,
      `regression fixture ${fixture.name} belongs to target ${JSON.stringify(fixture.target)}, which is not registered`,
      { file: fixture.binPath },
      "register the target in targets/target-registry.ts, or move the fixture to the folder of the target that now parses this format",
    );
  }
  return executeInput(target, fixture.bytes);
}
