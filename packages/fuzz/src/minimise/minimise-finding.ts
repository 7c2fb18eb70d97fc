import type { FuzzTarget } from "../fuzz-target.js";
import { executeInput } from "../runner/outcome.js";
import { ddmin, type DdminOptions, type DdminResult } from "./ddmin.js";

/**
 * The smallest input (by ddmin) on which `target` still throws the same finding: the same error
 * class, message shape and first stack frame (finding-signature.ts). A candidate that throws a
 * different bug does not count, so minimisation cannot drift from one bug to another.
 */
export async function minimiseFinding(target: FuzzTarget, input: Uint8Array, signatureKey: string, options: DdminOptions = {}): Promise<DdminResult> {
  return ddmin(
    input,
    async (candidate) => {
      const outcome = await executeInput(target, candidate);
      return outcome.kind === "finding" && outcome.signature.key === signatureKey;
    },
    options,
  );
}
