import { isNovakitError } from "@novakit/kernel-core";
import type { FuzzTarget } from "../fuzz-target.js";
import { signatureOf, type FindingSignature } from "./finding-signature.js";

/** The outcome-histogram key of an input the target accepted. */
export const ACCEPTED = "accepted";

/** What one execution of a target came to (the rules of fuzz-target.ts). */
export type Outcome =
  | { readonly kind: "accepted" }
  /** the clear diagnostic bad input must get: a pass */
  | { readonly kind: "diagnostic"; readonly code: string; readonly field: string }
  /** anything else thrown: a finding */
  | { readonly kind: "finding"; readonly signature: FindingSignature; readonly thrown: unknown };

const ACCEPTED_OUTCOME: Outcome = { kind: "accepted" };

/** Runs one input; never throws. Awaits only when the target is asynchronous. */
export async function executeInput(target: FuzzTarget, input: Uint8Array): Promise<Outcome> {
  try {
    const pending = target.execute(input);
    if (pending instanceof Promise) await pending;
    return ACCEPTED_OUTCOME;
  } catch (error) {
    return classifyThrown(error);
  }
}

export function classifyThrown(error: unknown): Outcome {
  if (isNovakitError(error)) return { kind: "diagnostic", code: error.code, field: error.location.field ?? "" };
  return { kind: "finding", signature: signatureOf(error), thrown: error };
}

/** the key the outcome histogram counts: "accepted", a diagnostic code, or "finding <Error>" */
export function histogramKey(outcome: Outcome): string {
  if (outcome.kind === "accepted") return ACCEPTED;
  if (outcome.kind === "diagnostic") return outcome.code;
  return `finding ${outcome.signature.errorName}`;
}

/**
 * The key that decides whether an input is new enough to keep in the corpus: the diagnostic code
 * together with the field it names, indices blanked ("MADT.entries[#].length"), so the corpus
 * grows once per distinct place the parser stops, not once per entry index. This is
 * outcome guidance, not edge coverage: two inputs that take different paths to the same
 * diagnostic look the same to it.
 */
export function guidanceKey(outcome: Outcome): string {
  if (outcome.kind === "diagnostic") return `${outcome.code} ${outcome.field.replace(/\d+/g, "#")}`;
  return histogramKey(outcome);
}
