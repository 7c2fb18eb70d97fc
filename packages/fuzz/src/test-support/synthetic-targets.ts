import { NovakitError } from "@novakit/kernel-core";
import type { FuzzTarget } from "../fuzz-target.js";

const A = 0x41;
const B = 0x42;

/** true when the bytes contain an "A" and, somewhere after it, a "B" */
export function hasAThenB(input: Uint8Array): boolean {
  const a = input.indexOf(A);
  return a >= 0 && input.indexOf(B, a + 1) > a;
}

/**
 * A deliberately buggy parser for the runner's and minimiser's own tests: it throws a TypeError
 * when the input holds "A" … "B" in that order, a NovakitError for inputs starting with "!",
 * and accepts everything else. The smallest failing input is exactly "AB".
 */
export const aThenBTarget: FuzzTarget = {
  name: "synthetic-a-then-b",
  description: "test only: TypeError when the bytes contain A … B",
  seeds: () => [new TextEncoder().encode("xxAxxxxxxxxxxxxxxxxBxxxxxxxxxxxxxx"), new TextEncoder().encode("!rejected")],
  execute(input) {
    if (input[0] === 0x21) throw new NovakitError("NK-TST-001", "starts with !", { offset: 0 });
    if (hasAThenB(input)) {
      const missing: { field?: { value: number } } = {};
      // the kind of crash a parser has when it trusts a field: reading through undefined
      void (missing.field as { value: number }).value;
    }
  },
};

/** A target whose parser rejects everything with a diagnostic: never a finding. */
export const alwaysRejectsTarget: FuzzTarget = {
  name: "synthetic-rejects",
  description: "test only: a NovakitError for every input",
  seeds: () => [Uint8Array.of(1, 2, 3)],
  execute(input) {
    throw new NovakitError(`NK-TST-00${(input[0] ?? 0) % 4}`, "rejected", { offset: 0, field: `byte[${input.length}]` });
  },
};

/** A target with nothing to start from: the runner must say so (NK-FUZ-005). */
export const seedlessTarget: FuzzTarget = {
  name: "synthetic-seedless",
  description: "test only: no seeds",
  seeds: () => [],
  execute() {},
};
