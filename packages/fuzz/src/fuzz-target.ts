/**
 * The contract every fuzz target meets, parser or stateful. An input is always a byte string, so
 * one mutator, one minimiser and one regression-fixture format serve every target: a stateful
 * target reads its bytes as a program (which PD calls what, with which selectors), a parser
 * target hands them to the parser.
 *
 * Outcomes: execute() returning (or throwing a NovakitError, the clear diagnostic bad input must
 * get) is a pass. Anything else thrown — a TypeError, a RangeError, an InvariantViolation — is a
 * finding: the runner minimises the input and saves it as a regression fixture.
 */
export interface FuzzTarget {
  /** the name `npm run fuzz -- --target NAME` selects, e.g. "ivrs", "hypercalls" */
  readonly name: string;
  /** one line for `npm run fuzz -- --list` */
  readonly description: string;
  /** real inputs the mutator starts from (the project's own fixtures, copied into the repository) */
  seeds(): readonly Uint8Array[];
  /** runs one input to completion; see the outcome rules above */
  execute(input: Uint8Array): void | Promise<void>;
}
